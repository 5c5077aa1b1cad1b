"""The wording of each kind of notification, read in the reader's language."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from danvan.text import model_phrase_read
from notifications.models import Kind, Notification

MESSAGES = {
    Kind.ROUND_OPENED: _("Đợt “%(round)s” đã mở chấm điểm, hạn %(ends_on)s."),
    Kind.UNIT_ROUND_OPENED: _(
        "Đợt “%(round)s” đã mở: %(model_phrase)s của đơn vị được kiểm tra, đánh giá "
        "(hạn %(ends_on)s)."
    ),
    Kind.PLAN_FOR_SIGNATURE: _("Kế hoạch “%(campaign)s” được trình ký ban hành."),
    Kind.REPORT_FOR_SIGNATURE: _("Dự thảo báo cáo “%(subject)s” được trình ký ban hành."),
    Kind.LATE_REQUESTED: _(
        "%(unit)s đề nghị gia hạn đăng ký mô hình phong trào “%(campaign)s” đến hết ngày "
        "%(wished_until)s."
    ),
}
LATE_GRANTED = _(
    "Văn phòng cho %(unit)s gửi đăng ký mô hình phong trào “%(campaign)s” đến hết ngày %(until)s."
)
LATE_REFUSED = _(
    "Văn phòng không cho %(unit)s gia hạn đăng ký mô hình phong trào “%(campaign)s”: %(reason)s"
)

# The province's answers to a commune's proposal, by the status it moved to.
PROPOSAL_ANSWERS = {
    "returned": _(
        "%(province)s trả lại đề nghị khen thưởng “%(nominee)s” (%(award)s) để bổ sung: %(reason)s"
    ),
    "accepted": _("%(province)s đã tiếp nhận đề nghị khen thưởng “%(nominee)s” (%(award)s)."),
    "rejected": _(
        "%(province)s không khen thưởng theo đề nghị “%(nominee)s” (%(award)s): %(reason)s"
    ),
    "decided": _(
        "%(province)s đã quyết định khen thưởng “%(nominee)s” (%(award)s): Quyết định số "
        "%(number)s ngày %(date)s."
    ),
}


# A registration's move, as the side that did not make it hears of it.
REGISTRATION_MOVES = {
    "submitted": _("%(unit)s gửi đăng ký %(model_phrase)s (%(code)s), chờ Văn phòng duyệt."),
    "returned": _(
        "Văn phòng trả lại %(model_phrase)s (%(code)s) để bổ sung: %(reason)s Hãy bổ sung "
        "rồi gửi lại."
    ),
}
REGISTRATION_MOVED = _("%(Model_phrase)s (%(code)s): %(status)s.")
WITH_REASON = _("%(message)s Lý do: %(reason)s")


def _named(params: dict) -> dict:
    """``params`` with the model (``name`` or ``model``) as a sentence names it: in
    Vietnamese "mô hình “Khu dân cư xanh”", a name that says "Mô hình" itself as it is
    (never "mô hình “Mô hình “…””", ``danvan.text.model_phrase``); in another language
    the name in quotes, for the translation to say "the model"."""
    name = params.get("name", params.get("model"))
    if name is None:
        return params
    phrase = model_phrase_read(name)
    return {**params, "model_phrase": phrase, "Model_phrase": phrase[:1].upper() + phrase[1:]}


def _registration_moved(params: dict) -> str:
    from models_registry.models import Registration

    params = _named(params)
    if params["to"] in REGISTRATION_MOVES:
        return str(REGISTRATION_MOVES[params["to"]]) % params
    text = str(REGISTRATION_MOVED) % {
        **params,
        "status": Registration.Status(params["to"]).label,
    }
    if params.get("reason"):
        return str(WITH_REASON) % {"message": text, "reason": params["reason"]}
    return text


def message(notification: Notification) -> str:
    params = notification.params
    if notification.kind == Kind.REGISTRATION_MOVED:
        return _registration_moved(params)
    if notification.kind == Kind.REGISTRATION_COMMENT:
        return _("%(author)s trao đổi về %(model_phrase)s (%(code)s): %(body)s") % _named(params)
    if notification.kind == Kind.EVALUATOR_ASSIGNED:
        return (
            ngettext(
                "Bạn được phân công chấm %(count)s mô hình trong đợt “%(round)s”.",
                "Bạn được phân công chấm %(count)s mô hình trong đợt “%(round)s”.",
                params["count"],
            )
            % params
        )
    if notification.kind == Kind.NOMINATIONS_PASSED:
        return (
            ngettext(
                "Hội đồng thông qua %(count)s đề nghị khen thưởng (họp ngày %(held_on)s), chờ phê duyệt.",
                "Hội đồng thông qua %(count)s đề nghị khen thưởng (họp ngày %(held_on)s), chờ phê duyệt.",
                params["count"],
            )
            % params
        )
    if notification.kind == Kind.LATE_DECIDED:
        return str(LATE_GRANTED if params.get("granted") else LATE_REFUSED) % params
    if notification.kind == Kind.PROPOSAL_RECEIVED:
        if params.get("times", 1) > 1:
            return (
                _(
                    "%(commune)s gửi lại (lần %(times)s) đề nghị khen thưởng “%(nominee)s” "
                    "(%(award)s)."
                )
                % params
            )
        return _("%(commune)s gửi đề nghị khen thưởng “%(nominee)s” (%(award)s).") % params
    if notification.kind == Kind.PROPOSAL_ANSWERED:
        return str(PROPOSAL_ANSWERS[params["status"]]) % params
    return str(MESSAGES[notification.kind]) % _named(params)
