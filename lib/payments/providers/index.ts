// The payment adapters behind one factory (docs/payments.md → "Providers"). The service decrypts an
// organization's credentials (lib/payments/accounts.ts) and asks for its adapter here; settings
// (API URLs, timeouts, YooKassa's extra notification senders) come from lib/env.
import "server-only";
import { env } from "@/lib/env";
import { DemoProvider } from "./demo";
import { StripeProvider } from "./stripe";
import type { PaymentProvider, ProviderCredentials } from "./types";
import { YooKassaProvider } from "./yookassa";

export * from "./types";
export { formatMajorAmount, parseMajorAmount } from "./amounts";
export { paymentsDemoEnabled } from "./demo-mode";

export type CreateProviderOptions = {
  /** The organization whose account this is (the demo provider's webhooks are addressed to it). */
  organizationId: string;
};

export function createProvider(credentials: ProviderCredentials, options: CreateProviderOptions): PaymentProvider {
  const settings = env();
  switch (credentials.provider) {
    case "yookassa":
      return new YooKassaProvider({
        shopId: credentials.shopId,
        secretKey: credentials.secretKey,
        baseUrl: settings.YOOKASSA_API_URL,
        timeoutMs: settings.PAYMENTS_PROVIDER_TIMEOUT_MS,
        extraWebhookSenders: settings.YOOKASSA_WEBHOOK_IPS,
      });
    case "stripe":
      return new StripeProvider({
        secretKey: credentials.secretKey,
        webhookSecret: credentials.webhookSecret,
        apiUrl: settings.STRIPE_API_URL,
        timeoutMs: settings.PAYMENTS_PROVIDER_TIMEOUT_MS,
      });
    case "demo":
      return new DemoProvider(options.organizationId);
  }
}
