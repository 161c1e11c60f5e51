"""Reading a template (or a campaign's frozen copy) as paired items; no database writes.

An item is the questions sharing a code, at most one per side: a *pair* when asked to
both sides, *mirrored* when that pair also carries a dimension compared across sides.
"""

from dataclasses import dataclass, field

from surveys.models import Side

SIDES = (Side.EMPLOYEE, Side.CLIENT)


@dataclass
class Item:
    """One row of a template: the questions sharing a code, at most one per side."""

    code: str
    questions: dict = field(default_factory=dict)  # side -> question

    @property
    def first(self):
        return next(iter(self.questions.values()))

    @property
    def employee(self):
        return self.questions.get(Side.EMPLOYEE)

    @property
    def client(self):
        return self.questions.get(Side.CLIENT)

    @property
    def is_pair(self):
        return len(self.questions) == len(SIDES)

    @property
    def is_mirrored(self):
        return self.is_pair and bool(self.first.dimension)

    @property
    def sides(self):
        return [side for side in SIDES if side in self.questions]

    @property
    def kind(self):
        return self.first.kind

    @property
    def required(self):
        return self.first.required

    @property
    def choices(self):
        return self.first.choices

    @property
    def order(self):
        return self.first.order


def questionnaire_items(questions):
    """Group questions (of a template or a campaign) into items, in their order.

    `questions` is any iterable of questions (a prefetched list is fine); items come
    out sorted by order, then by code, so that equal orders stay stable.
    """
    items = {}
    for question in questions:
        items.setdefault(question.code, Item(code=question.code)).questions[question.side] = (
            question
        )
    return sorted(items.values(), key=lambda item: (item.order, item.code))
