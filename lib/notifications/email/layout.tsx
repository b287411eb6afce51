// The notice email's layout (React Email): one column, max 560px, tables and inline styles, system
// fonts — reads the same in Gmail, Yandex Mail and Outlook, and on a phone. The body arrives as email
// HTML already converted and sanitized (./html.ts); everything else here is React text (escaped).
import { Body, Button, Container, Head, Hr, Html, Img, Preview, Section, Text, Link } from "@react-email/components";
import type { CSSProperties } from "react";

export interface NoticeLayoutProps {
  lang: "ru" | "en";
  /** The first line or so, shown by mail apps next to the subject. */
  preview: string;
  /** Sanitized email HTML (telegramHtmlToEmailHtml). */
  bodyHtml: string;
  buttons: Array<{ label: string; url: string }>;
  qr?: { cid: string; alt: string; caption: string };
  unsubscribe?: { url: string; prompt: string; label: string };
  footer: string;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif";

const body: CSSProperties = { margin: 0, padding: "24px 12px", backgroundColor: "#f8fafc", fontFamily: FONT, color: "#0f172a" };
const card: CSSProperties = {
  maxWidth: "560px",
  width: "100%",
  margin: "0 auto",
  padding: "24px",
  backgroundColor: "#ffffff",
  border: "1px solid #e2e8f0",
  borderRadius: "16px",
};
const content: CSSProperties = { fontSize: "16px", lineHeight: "1.5", color: "#0f172a", wordBreak: "break-word" };
const button: CSSProperties = {
  display: "inline-block",
  padding: "12px 20px",
  margin: "0 8px 8px 0",
  borderRadius: "10px",
  backgroundColor: "#1f57d1",
  color: "#ffffff",
  fontSize: "15px",
  fontWeight: 600,
  textDecoration: "none",
};
const small: CSSProperties = { margin: "0 0 8px", fontSize: "13px", lineHeight: "1.5", color: "#64748b" };

export function NoticeEmail({ lang, preview, bodyHtml, buttons, qr, unsubscribe, footer }: NoticeLayoutProps) {
  return (
    <Html lang={lang}>
      <Head>
        <meta name="color-scheme" content="light" />
        <meta name="supported-color-schemes" content="light" />
      </Head>
      {preview ? <Preview>{preview}</Preview> : null}
      <Body style={body}>
        <Container style={card}>
          <Section>
            <div style={content} dangerouslySetInnerHTML={{ __html: bodyHtml }} />
          </Section>
          {qr ? (
            <Section style={{ textAlign: "center", margin: "8px 0 16px" }}>
              <Img src={`cid:${qr.cid}`} alt={qr.alt} width="220" height="220" style={{ display: "block", margin: "0 auto", border: 0 }} />
              <Text style={{ ...small, textAlign: "center", margin: "8px 0 0" }}>{qr.caption}</Text>
            </Section>
          ) : null}
          {buttons.length ? (
            <Section style={{ margin: "8px 0 8px" }}>
              {buttons.map((b) => (
                <Button key={`${b.label}|${b.url}`} href={b.url} style={button}>
                  {b.label}
                </Button>
              ))}
            </Section>
          ) : null}
          <Hr style={{ borderColor: "#e2e8f0", margin: "16px 0" }} />
          {unsubscribe ? (
            <Text style={small}>
              {unsubscribe.prompt}{" "}
              <Link href={unsubscribe.url} style={{ color: "#475569", textDecoration: "underline" }}>
                {unsubscribe.label}
              </Link>
            </Text>
          ) : null}
          <Text style={{ ...small, margin: 0 }}>{footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}
