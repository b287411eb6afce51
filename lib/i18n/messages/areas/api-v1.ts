// Texts of REST API v1's registrations, check-ins, waitlist, payments and personal tickets
// (lib/api/v1/registrations.ts, check-ins.ts, waitlist.ts, payments.ts, me.ts).
export const ru = {
  errors: {
    alreadyCheckedIn: "Участник уже отмечен на входе.",
    checkInTarget: "Укажите ровно одно: code (код подтверждения) или qrPayload (текст QR-кода).",
    qrInvalid: "Это не QR-код билета AqStream или подпись не сходится.",
    ticketNotFound: "Билет не найден.",
    refusal: {
      cancelled: "Отметить нельзя: регистрация отменена.",
      expired: "Отметить нельзя: бронь истекла.",
      unpaid: "Отметить нельзя: билет не оплачен.",
      event_not_open: "Отметить нельзя: событие не открыто для входа.",
    },
    textRequired: "Заполните поле.",
  },
};

export const en: typeof ru = {
  errors: {
    alreadyCheckedIn: "The attendee is already checked in.",
    checkInTarget: "Give exactly one of code (the confirmation code) or qrPayload (the QR code's text).",
    qrInvalid: "Not an AqStream ticket QR code, or its signature does not match.",
    ticketNotFound: "Ticket not found.",
    refusal: {
      cancelled: "Cannot check in: the registration is cancelled.",
      expired: "Cannot check in: the reservation has expired.",
      unpaid: "Cannot check in: the ticket is not paid.",
      event_not_open: "Cannot check in: the event is not open for check-in.",
    },
    textRequired: "Fill in this field.",
  },
};
