// The demo checkout form (app/[locale]/(site)/pay/demo/[id]): the checkout id and a card number.
// Messages are keys of lib/i18n/messages/areas/payments-demo.ts.
import { z } from "zod";
import { UUID_PATTERN } from "./ids";

export const demoPaySchema = z.object({
  id: z.string().regex(UUID_PATTERN, "paymentsDemo.errors.notFound"),
  card: z
    .string({ error: "paymentsDemo.errors.cardRequired" })
    .trim()
    .min(1, "paymentsDemo.errors.cardRequired")
    .max(40, "paymentsDemo.errors.unknownCard"),
});

export type DemoPayInput = z.input<typeof demoPaySchema>;
