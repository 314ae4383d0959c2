"""Pure helpers with no models: environment parsing, NIK, names, phones."""
