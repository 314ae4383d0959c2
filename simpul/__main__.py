from simpul.manage import main

main()
