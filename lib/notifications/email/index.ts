// A notice as an email (pure: no database, no secrets — delivery, the admin editor's preview and the
// organizer messages' preview all use it). The template body is rendered once as Telegram HTML
// (lib/notifications/render.ts, every value escaped); ./html.ts turns that into email HTML and plain
// text, and ./layout.tsx (React Email) wraps it in a phone-friendly layout. See docs/notifications.md.
import { render } from "@react-email/render";
import { createElement } from "react";
import { renderTemplate, templateBodyFor, type Locale } from "../render";
import { oneLineSubject, safeLinkHref, subjectFromRendered, telegramHtmlToEmailHtml, telegramHtmlToText } from "./html";
import { NoticeEmail } from "./layout";

export { decodeEntities, escapeEmailHtml, oneLineSubject, safeLinkHref, subjectFromRendered, telegramHtmlToEmailHtml, telegramHtmlToText } from "./html";

export type EmailButton = { label: string; url: string };

export interface NoticeEmailInput {
  subject: string; // already rendered, plain text
  bodyHtml: string; // the rendered template body: Telegram HTML (values already escaped)
  buttons?: EmailButton[]; // url buttons only
  locale: "RU" | "EN";
  /** Organizer messages: the one-click mute link (footer link; List-Unsubscribe is set by delivery). */
  unsubscribeUrl?: string;
  /** Attachments announced in the text ("your QR code is attached", an inline image by cid). */
  qrCid?: string;
}

export interface RenderedNoticeEmail {
  subject: string;
  html: string;
  text: string;
}

const TEXTS = {
  RU: {
    qrAlt: "QR-код билета",
    qrCaption: "Покажите этот QR-код на входе. Он также приложен к письму, а приглашение в календарь — файлом .ics.",
    qrText: "QR-код билета приложен к письму; приглашение в календарь — файлом .ics.",
    unsubscribePrompt: "Не хотите получать сообщения этого организатора?",
    unsubscribeLabel: "Отписаться",
    unsubscribeText: "Отписаться от сообщений этого организатора",
    footer: "AqStream — уведомление о вашем мероприятии.",
  },
  EN: {
    qrAlt: "Ticket QR code",
    qrCaption: "Show this QR code at the entrance. It is also attached, with a calendar invite (.ics).",
    qrText: "Your ticket's QR code is attached, with a calendar invite (.ics).",
    unsubscribePrompt: "Don't want messages from this organizer?",
    unsubscribeLabel: "Unsubscribe",
    unsubscribeText: "Unsubscribe from this organizer's messages",
    footer: "AqStream — a notice about your event.",
  },
} as const;

/** Only http(s) buttons (a tg:// or mailto: button makes no sense in a mail app's button row). */
function emailButtons(buttons: EmailButton[] | undefined): EmailButton[] {
  return (buttons ?? []).flatMap((b) => {
    const url = safeLinkHref(b.url);
    const label = b.label.trim();
    return url && /^https?:/i.test(url) && label ? [{ label, url }] : [];
  });
}

/** Renders a notice email: subject (one line, ≤ 300 chars), HTML (React Email) and the plain-text part. */
export async function renderNoticeEmail(input: NoticeEmailInput): Promise<RenderedNoticeEmail> {
  const t = TEXTS[input.locale === "EN" ? "EN" : "RU"];
  const subject = oneLineSubject(input.subject);
  const buttons = emailButtons(input.buttons);
  const unsubscribeUrl = input.unsubscribeUrl ? safeLinkHref(input.unsubscribeUrl) : null;
  const bodyText = telegramHtmlToText(input.bodyHtml);

  const html = await render(
    createElement(NoticeEmail, {
      lang: input.locale === "EN" ? "en" : "ru",
      preview: oneLineSubject(bodyText, 140),
      bodyHtml: telegramHtmlToEmailHtml(input.bodyHtml),
      buttons,
      qr: input.qrCid ? { cid: input.qrCid, alt: t.qrAlt, caption: t.qrCaption } : undefined,
      unsubscribe: unsubscribeUrl ? { url: unsubscribeUrl, prompt: t.unsubscribePrompt, label: t.unsubscribeLabel } : undefined,
      footer: t.footer,
    }),
  );

  const blocks = [
    bodyText,
    ...(input.qrCid ? [t.qrText] : []),
    ...(buttons.length ? [buttons.map((b) => `${b.label}: ${b.url}`).join("\n")] : []),
    "—",
    ...(unsubscribeUrl ? [`${t.unsubscribeText}: ${unsubscribeUrl}`] : []),
    t.footer,
  ];
  return { subject, html, text: `${blocks.join("\n\n")}\n` };
}

/** The subject for a language: EN → subjectEn (falls back to the Russian subject when empty). */
export function templateSubjectFor(template: { subject: string; subjectEn: string }, locale: Locale): string {
  return locale === "EN" && template.subjectEn.trim() ? template.subjectEn : template.subject;
}

/** Renders a subject template (ICU, plain text) to the one-line subject; values are not HTML-escaped in the result. */
export function renderSubject(template: { subject: string; subjectEn: string }, variables: Record<string, unknown>, locale: Locale): string {
  return subjectFromRendered(renderTemplate(templateSubjectFor(template, locale), variables, locale));
}

/** Renders a template (subject + body) for both channels, for previews (admin editor, organizer messages). */
export async function renderNoticePreview(
  template: { subject: string; subjectEn: string; body: string; bodyEn: string },
  variables: Record<string, unknown>,
  locale: "RU" | "EN",
  options?: { buttons?: EmailButton[]; unsubscribeUrl?: string },
): Promise<{ telegramHtml: string; email: { subject: string; html: string; text: string } }> {
  const telegramHtml = renderTemplate(templateBodyFor(template, locale), variables, locale);
  const email = await renderNoticeEmail({
    subject: renderSubject(template, variables, locale),
    bodyHtml: telegramHtml,
    buttons: options?.buttons,
    locale,
    unsubscribeUrl: options?.unsubscribeUrl,
  });
  return { telegramHtml, email };
}
