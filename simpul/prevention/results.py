"""What an event's knowledge test shows, what events together show, and discussion themes.

Paired analysis: a participant counts when they have both a pre- and a post-test. Scores are the
percentage of the test's questions answered correctly (a blank answer counts as wrong).
Per-question difficulty is the share answering correctly (the classical difficulty index p),
before and after, among the paired participants.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from simpul.prevention import stats
from simpul.prevention.models import (
    Answer,
    Attempt,
    Audience,
    EventQuestion,
    IssueTheme,
    OutreachEvent,
    Phase,
    Question,
    RaisedIssue,
    Topic,
)


@dataclass
class QuestionStats:
    position: int
    question: Question
    n_paired: int
    pre_correct: int
    post_correct: int
    mcnemar: stats.McNemarResult | None

    @property
    def pre_rate(self) -> float | None:
        return 100 * self.pre_correct / self.n_paired if self.n_paired else None

    @property
    def post_rate(self) -> float | None:
        return 100 * self.post_correct / self.n_paired if self.n_paired else None

    @property
    def change(self) -> float | None:
        if self.pre_rate is None or self.post_rate is None:
            return None
        return self.post_rate - self.pre_rate

    @property
    def topic_label(self) -> str:
        return str(Topic(self.question.topic).label)


@dataclass
class Pair:
    code: str
    pre: float  # score in %
    post: float
    pre_correct: int
    post_correct: int

    @property
    def gain(self) -> float:
        return self.post - self.pre


@dataclass
class EventResults:
    n_questions: int
    n_pre: int
    n_post: int
    pairs: list[Pair]
    questions: list[QuestionStats]
    wilcoxon: stats.WilcoxonResult | None

    @property
    def n_paired(self) -> int:
        return len(self.pairs)

    @property
    def mean_pre(self) -> float | None:
        return stats.mean([p.pre for p in self.pairs])

    @property
    def mean_post(self) -> float | None:
        return stats.mean([p.post for p in self.pairs])

    @property
    def mean_gain(self) -> float | None:
        return stats.mean([p.gain for p in self.pairs])

    @property
    def median_pre(self) -> float | None:
        return stats.median([p.pre for p in self.pairs])

    @property
    def median_post(self) -> float | None:
        return stats.median([p.post for p in self.pairs])

    @property
    def improved(self) -> int:
        return sum(1 for p in self.pairs if p.gain > 0)

    @property
    def unchanged(self) -> int:
        return sum(1 for p in self.pairs if p.gain == 0)

    @property
    def worse(self) -> int:
        return sum(1 for p in self.pairs if p.gain < 0)

    @property
    def share_improved(self) -> float | None:
        return 100 * self.improved / self.n_paired if self.pairs else None

    @property
    def unpaired(self) -> int:
        return self.n_pre + self.n_post - 2 * self.n_paired


def event_results(event: OutreachEvent) -> EventResults:
    event_questions = list(
        EventQuestion.objects.filter(event=event).select_related("question").order_by("position")
    )
    attempts = list(Attempt.objects.filter(participant__event=event).select_related("participant"))
    by_participant: dict[int, dict[str, Attempt]] = defaultdict(dict)
    for a in attempts:
        by_participant[a.participant_id][a.phase] = a
    paired = {
        pid: (phases[Phase.PRE], phases[Phase.POST])
        for pid, phases in by_participant.items()
        if Phase.PRE in phases and Phase.POST in phases
    }
    pairs = sorted(
        (
            Pair(
                code=pre.participant.code,
                pre=pre.score,
                post=post.score,
                pre_correct=pre.n_correct,
                post_correct=post.n_correct,
            )
            for pre, post in paired.values()
        ),
        key=lambda p: p.code,
    )
    # Every attempt of an event answers the same questions, so the difference in the number of
    # correct answers is the exact, integer form of the score difference (ties compare exactly).
    same_length = len({a.n_questions for a in attempts}) <= 1
    differences: list[float] = [
        (p.post_correct - p.pre_correct) if same_length else round(p.gain, 9) for p in pairs
    ]
    wilcoxon = stats.wilcoxon_signed_rank(differences) if pairs else None

    paired_attempt_ids = {a.id: pid for pid, both in paired.items() for a in both}
    correct: dict[tuple[int, int, str], bool] = {}
    answer_rows = Answer.objects.filter(attempt_id__in=paired_attempt_ids).values_list(
        "attempt_id", "attempt__phase", "event_question_id", "is_correct"
    )
    for attempt_id, phase, eq_id, is_correct in answer_rows:
        correct[(paired_attempt_ids[attempt_id], eq_id, phase)] = is_correct

    questions = []
    for eq in event_questions:
        pre_correct = post_correct = b = c = 0
        for pid in paired:
            before = correct.get((pid, eq.id, Phase.PRE), False)
            after = correct.get((pid, eq.id, Phase.POST), False)
            pre_correct += before
            post_correct += after
            b += before and not after
            c += after and not before
        questions.append(
            QuestionStats(
                position=eq.position,
                question=eq.question,
                n_paired=len(paired),
                pre_correct=pre_correct,
                post_correct=post_correct,
                mcnemar=stats.mcnemar(b, c) if paired else None,
            )
        )
    return EventResults(
        n_questions=len(event_questions),
        n_pre=sum(1 for a in attempts if a.phase == Phase.PRE),
        n_post=sum(1 for a in attempts if a.phase == Phase.POST),
        pairs=pairs,
        questions=questions,
        wilcoxon=wilcoxon,
    )


@dataclass
class GroupLearning:
    key: str
    label: str
    events: set = field(default_factory=set)
    n: int = 0  # paired participants (audiences) or paired answers (topics)
    pre_total: float = 0.0
    post_total: float = 0.0

    @property
    def n_events(self) -> int:
        return len(self.events)

    @property
    def pre(self) -> float | None:
        return self.pre_total / self.n if self.n else None

    @property
    def post(self) -> float | None:
        return self.post_total / self.n if self.n else None

    @property
    def gain(self) -> float | None:
        return self.post - self.pre if self.n else None  # type: ignore[operator]


@dataclass
class Learning:
    topics: list[GroupLearning]
    audiences: list[GroupLearning]
    n_events: int
    n_participants: int


def learning_summary(events: QuerySet[OutreachEvent]) -> Learning:
    """Which topics and audiences learn least, over the events given (paired data only).

    Topics: share of correct answers to the topic's questions before and after, pooled over
    every paired participant and question. Audiences: mean score before and after of the paired
    participants of events held for that audience (an event for several audiences counts for
    each of them). Sorted by gain, smallest first.
    """
    event_list = list(events.only("id", "audiences"))
    audiences_of = {e.id: e.audiences for e in event_list}
    attempts = Attempt.objects.filter(participant__event_id__in=audiences_of).values_list(
        "id", "participant_id", "participant__event_id", "phase", "n_correct", "n_questions"
    )
    by_participant: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    event_of: dict[int, Any] = {}
    for attempt_id, pid, event_id, phase, n_correct, n_questions in attempts:
        score = 100 * n_correct / n_questions if n_questions else 0.0
        by_participant[pid][phase] = (attempt_id, score)
        event_of[pid] = event_id
    paired = {
        pid: phases
        for pid, phases in by_participant.items()
        if Phase.PRE in phases and Phase.POST in phases
    }

    audiences: dict[str, GroupLearning] = {}
    for pid, phases in paired.items():
        event_id = event_of[pid]
        for code in audiences_of.get(event_id, []):
            if code not in Audience.values:
                continue
            group = audiences.setdefault(code, GroupLearning(code, str(Audience(code).label)))
            group.events.add(event_id)
            group.n += 1
            group.pre_total += phases[Phase.PRE][1]
            group.post_total += phases[Phase.POST][1]

    attempt_owner = {
        phases[phase][0]: (pid, phase) for pid, phases in paired.items() for phase in phases
    }
    answers = Answer.objects.filter(attempt_id__in=attempt_owner).values_list(
        "attempt_id", "event_question_id", "event_question__question__topic", "is_correct"
    )
    per_pair: dict[tuple[int, int], dict[str, bool]] = defaultdict(dict)
    topic_of: dict[int, str] = {}
    for attempt_id, eq_id, topic, is_correct in answers:
        pid, phase = attempt_owner[attempt_id]
        per_pair[(pid, eq_id)][phase] = is_correct
        topic_of[eq_id] = topic
    topics: dict[str, GroupLearning] = {}
    for (pid, eq_id), answered in per_pair.items():
        topic = topic_of[eq_id]
        group = topics.setdefault(topic, GroupLearning(topic, str(Topic(topic).label)))
        group.events.add(event_of[pid])
        group.n += 1
        group.pre_total += 100 * answered.get(Phase.PRE, False)
        group.post_total += 100 * answered.get(Phase.POST, False)

    def by_gain(groups: Iterable[GroupLearning]) -> list[GroupLearning]:
        return sorted(groups, key=lambda g: (g.gain if g.gain is not None else 0.0, g.key))

    return Learning(
        topics=by_gain(topics.values()),
        audiences=by_gain(audiences.values()),
        n_events=len({event_of[pid] for pid in paired}),
        n_participants=len(paired),
    )


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_quarters(today: dt.date, count: int = 8) -> list[str]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    labels = []
    for _ in range(count):
        labels.append(f"{year}-Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(labels))


@dataclass
class ThemeTrend:
    theme: str
    label: str
    by_quarter: list[int]
    total: int
    events: int


def issue_trends(
    events: QuerySet[OutreachEvent], today: dt.date, quarters: int = 8
) -> tuple[list[str], list[ThemeTrend]]:
    """Mentions of each discussion theme per calendar quarter (the last `quarters` of them)."""
    labels = last_quarters(today, quarters)
    index = {label: i for i, label in enumerate(labels)}
    rows = RaisedIssue.objects.filter(event__in=events).values_list(
        "theme", "mentions", "event_id", "event__held_on"
    )
    counts: dict[str, list[int]] = {}
    event_sets: dict[str, set] = defaultdict(set)
    for theme, mentions, event_id, held_on in rows:
        position = index.get(quarter_of(held_on))
        if position is None:
            continue
        counts.setdefault(theme, [0] * len(labels))[position] += mentions
        event_sets[theme].add(event_id)
    trends = [
        ThemeTrend(
            theme=theme,
            label=str(IssueTheme(theme).label) if theme in IssueTheme.values else theme,
            by_quarter=values,
            total=sum(values),
            events=len(event_sets[theme]),
        )
        for theme, values in counts.items()
    ]
    trends.sort(key=lambda t: (-t.total, t.theme))
    return labels, trends
