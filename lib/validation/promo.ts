// The organizer's promo-code form: ONE zod schema for react-hook-form (client) and the server action /
// service (which parses again). Messages are keys of lib/i18n/messages/areas/promo.ts ("promo.validation.*").
// The window is typed as local date-times in the event's zone (converted by the service with the
// event's zone, like a ticket type's sales window).
import { z } from "zod";
import { isLocalDateTime } from "@/lib/events/time";
import { PROMO_CODE_PATTERN } from "@/lib/promo/rules";
import { toMinorUnits, TICKET_PRICE_MAX_CENTS } from "@/lib/validation/events";
import { UUID_PATTERN } from "@/lib/validation/ids";

const V = "promo.validation";
export const PROMO_USAGE_LIMIT_MAX = 1_000_000;

const localTime = z
  .string({ error: `${V}.timeInvalid` })
  .trim()
  .refine((v) => v === "" || isLocalDateTime(v), `${V}.timeInvalid`);

export const promoCodeFormSchema = z
  .object({
    eventId: z.string().regex(UUID_PATTERN, "errors.notFound"),
    code: z
      .string({ error: `${V}.codeInvalid` })
      .trim()
      .toUpperCase()
      .regex(PROMO_CODE_PATTERN, `${V}.codeInvalid`),
    discountKind: z.enum(["PERCENT", "FIXED"], { error: `${V}.kindInvalid` }),
    /** PERCENT: a whole percent 1..100; FIXED: an amount in major units ("500", "499,50"). */
    discountValue: z.string({ error: `${V}.valueInvalid` }).trim().min(1, `${V}.valueInvalid`),
    /** "" = every ticket type of the event. */
    ticketTypeId: z.string().trim().refine((v) => v === "" || UUID_PATTERN.test(v), `${V}.ticketTypeInvalid`),
    /** "" = unlimited. */
    usageLimit: z
      .string({ error: `${V}.limitInvalid` })
      .trim()
      .refine((v) => v === "" || (/^\d{1,7}$/.test(v) && Number(v) >= 1 && Number(v) <= PROMO_USAGE_LIMIT_MAX), `${V}.limitInvalid`),
    validFrom: localTime,
    validUntil: localTime,
  })
  .superRefine((d, ctx) => {
    if (d.discountKind === "PERCENT") {
      if (!/^\d{1,3}$/.test(d.discountValue) || Number(d.discountValue) < 1 || Number(d.discountValue) > 100) {
        ctx.addIssue({ code: "custom", path: ["discountValue"], message: `${V}.percentInvalid` });
      }
    } else {
      const cents = toMinorUnits(d.discountValue);
      if (cents === null || cents <= 0 || cents > TICKET_PRICE_MAX_CENTS) ctx.addIssue({ code: "custom", path: ["discountValue"], message: `${V}.amountInvalid` });
    }
    if (d.validFrom && d.validUntil && isLocalDateTime(d.validFrom) && isLocalDateTime(d.validUntil) && d.validUntil <= d.validFrom) {
      ctx.addIssue({ code: "custom", path: ["validUntil"], message: `${V}.windowInvalid` });
    }
  });

export type PromoCodeFormInput = z.input<typeof promoCodeFormSchema>;
export type PromoCodeFormData = z.output<typeof promoCodeFormSchema>;

export const EMPTY_PROMO_CODE_FORM: Omit<PromoCodeFormInput, "eventId"> = {
  code: "",
  discountKind: "PERCENT",
  discountValue: "",
  ticketTypeId: "",
  usageLimit: "",
  validFrom: "",
  validUntil: "",
};

export const promoCodeIdSchema = z.object({ promoCodeId: z.string().regex(UUID_PATTERN, "errors.notFound") });
