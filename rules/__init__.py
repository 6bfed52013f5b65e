"""Rules: page classification, evidence and verdicts. Pure functions, no I/O."""

from ._checks import AuditContext, evaluate, evaluate_claims, find_facts
from ._claims import Claims, ClaimVerdict, judge_claim
from ._classify import analyse_page, classify_kind, detect_categories, is_dedicated_home, score_link
from ._dates import DateFinding, publication_date
from ._diff import diff_runs
from ._gating import gate_reason
from ._models import CHECK_IDS, CheckResult, Evidence, Kind, PageFacts, Status
from ._vocab import CATEGORIES, TermMatcher, Vocabulary, category_labels, load_vocabulary

__all__ = [
    "CATEGORIES",
    "CHECK_IDS",
    "AuditContext",
    "CheckResult",
    "ClaimVerdict",
    "Claims",
    "DateFinding",
    "Evidence",
    "Kind",
    "PageFacts",
    "Status",
    "TermMatcher",
    "Vocabulary",
    "analyse_page",
    "category_labels",
    "classify_kind",
    "detect_categories",
    "diff_runs",
    "evaluate",
    "evaluate_claims",
    "find_facts",
    "gate_reason",
    "is_dedicated_home",
    "judge_claim",
    "load_vocabulary",
    "publication_date",
    "score_link",
]
