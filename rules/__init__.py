"""Rules: page classification, evidence and verdicts. Pure functions, no I/O."""

from ._checks import Judgment, evaluate, find_facts, judge
from ._claims import Claims, ClaimVerdict
from ._classify import analyse_page, classify_kind, detect_categories, score_link
from ._coverage import Coverage, measure_coverage
from ._dates import publication_date
from ._decided import CheckDecision, Decisions, PageDecision
from ._diff import diff_runs
from ._gating import gate_reason
from ._models import (
    CASE_STUDIES,
    CHECK_IDS,
    CHECK_TITLES,
    KINDS,
    THOUGHT_LEADERSHIP,
    CheckResult,
    Evidence,
    PageFacts,
)
from ._vocab import category_labels, detect_language, load_vocabulary

__all__ = [
    "CASE_STUDIES",
    "CHECK_IDS",
    "CHECK_TITLES",
    "KINDS",
    "THOUGHT_LEADERSHIP",
    "CheckDecision",
    "CheckResult",
    "ClaimVerdict",
    "Claims",
    "Coverage",
    "Decisions",
    "Evidence",
    "Judgment",
    "PageDecision",
    "PageFacts",
    "analyse_page",
    "category_labels",
    "classify_kind",
    "detect_categories",
    "detect_language",
    "diff_runs",
    "evaluate",
    "find_facts",
    "gate_reason",
    "judge",
    "load_vocabulary",
    "measure_coverage",
    "publication_date",
    "score_link",
]
