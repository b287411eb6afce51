// One widget instance: renders an event into a Shadow DOM and registers a guest in place
// (docs/widget.md). No framework (size); native form controls only, so keyboard and screen readers work
// as on any form: a fieldset of radios for the ticket type, labelled fields with their errors tied by
// aria-describedby, a polite live region for seat updates, focus moved to the first error or the result.
import { CSS } from "./styles";
import { TEXTS, fill, type Lang, type Texts } from "./texts";

export type Field = { key: string; label: string; type: "text" | "select" | "checkbox"; required: boolean; options?: string[] };
export type TicketType = {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: string;
  onSale: boolean;
  soldOut: boolean;
  available: number | null;
  mode: "inPlace" | "eventPage";
};
export type WidgetEvent = {
  id: string;
  title: string;
  status: string;
  open: boolean;
  startsAt: string;
  endsAt: string | null;
  timezone: string;
  locationType: string;
  locationAddress: string | null;
  organizationName: string;
  eventUrl: string;
  guests: boolean;
  fields: Field[];
  ticketTypes: TicketType[];
};
type Registration = {
  registrationId: string;
  status: string;
  confirmationCode: string;
  expiresAt: string | null;
  ticketUrl: string | null;
};
type ApiError = { code?: string; message?: string; messageKey?: string; fieldErrors?: Record<string, string> };

/** Seats are read again this often while the page is visible (the server keeps an answer ~5 s). */
const REFRESH_MS = 20_000;
let instances = 0;

type Attrs = Record<string, string | boolean | null | undefined>;

/** A DOM element with attributes (false/null/undefined: left out) and children. */
function h(tag: string, attrs: Attrs = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function randomKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function adoptStyles(root: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h("style", {}, CSS));
  }
}

export class Widget {
  private readonly root: ShadowRoot;
  private readonly t: Texts;
  private readonly uid = `aq${++instances}`;
  private event: WidgetEvent | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private seatNodes = new Map<string, { seats: HTMLElement; radio: HTMLInputElement | null; label: HTMLElement }>();
  private live: HTMLElement | null = null;
  /** The Idempotency-Key of the submission being made, and the body it was made for. */
  private pending: { key: string; body: string } | null = null;
  private done = false;

  constructor(
    host: HTMLElement,
    private readonly eventId: string,
    private readonly api: string,
    private readonly lang: Lang,
  ) {
    this.t = TEXTS[lang];
    this.root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
    adoptStyles(this.root);
    this.show(h("p", { role: "status" }, this.t.loading));
    void this.load();
  }

  private url(path = ""): string {
    return `${this.api}api/widget/events/${encodeURIComponent(this.eventId)}${path}`;
  }

  private show(...content: Node[]): void {
    const box = h("section", { class: "w", lang: this.lang, "aria-labelledby": `${this.uid}-t` });
    box.append(...content);
    for (const n of Array.from(this.root.childNodes)) if (!(n instanceof HTMLStyleElement)) n.remove();
    this.root.append(box);
  }

  private async fetchEvent(fresh: boolean): Promise<WidgetEvent | number> {
    const res = await fetch(this.url(), { headers: { accept: "application/json", "accept-language": this.lang }, cache: fresh ? "no-store" : "default", credentials: "omit" });
    if (!res.ok) return res.status;
    return ((await res.json()) as { event: WidgetEvent }).event;
  }

  private async load(): Promise<void> {
    let result: WidgetEvent | number;
    try {
      result = await this.fetchEvent(false);
    } catch {
      result = 0;
    }
    if (typeof result === "number") {
      const retry = h("button", { type: "button", class: "b2" }, this.t.retry);
      retry.addEventListener("click", () => {
        this.show(h("p", { role: "status" }, this.t.loading));
        void this.load();
      });
      this.show(h("p", { role: "alert", id: `${this.uid}-t` }, result === 404 ? this.t.notFound : this.t.loadFailed), ...(result === 404 ? [] : [retry]));
      return;
    }
    this.event = result;
    this.renderForm();
    this.startRefresh();
  }

  // ───────────── formatting ─────────────

  private when(e: WidgetEvent): string {
    const opts: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: e.timezone, timeZoneName: "short" };
    try {
      return new Intl.DateTimeFormat(this.lang, opts).format(new Date(e.startsAt));
    } catch {
      return new Date(e.startsAt).toLocaleString(this.lang);
    }
  }

  private price(t: TicketType): string {
    if (t.priceCents === 0) return this.t.free;
    return new Intl.NumberFormat(this.lang, { style: "currency", currency: t.currency }).format(t.priceCents / 100);
  }

  private seatsText(t: TicketType): string {
    if (!t.onSale) return this.t.notOnSale;
    if (t.soldOut) return this.t.soldOut;
    if (t.available === null) return this.t.unlimited;
    const form = new Intl.PluralRules(this.lang).select(t.available);
    return (this.t.seatsLeft[form] ?? this.t.seatsLeft.other).replace("#", String(t.available));
  }

  private selectable(t: TicketType): boolean {
    return !!this.event?.open && t.mode === "inPlace" && t.onSale && !t.soldOut;
  }

  private eventPageLink(text: string, primary: boolean): HTMLElement {
    return h(
      "a",
      { class: primary ? "b" : "b b2", href: this.event!.eventUrl, target: "_blank", rel: "noopener" },
      text,
      h("span", { class: "sr" }, ` ${this.t.newWindow}`),
    );
  }

  // ───────────── the form ─────────────

  private renderForm(): void {
    const e = this.event!;
    const t = this.t;
    this.done = false;
    this.seatNodes.clear();
    const head = [
      h("h2", { id: `${this.uid}-t` }, e.title),
      h("p", { class: "m" }, this.when(e)),
      e.locationAddress ? h("p", { class: "m" }, e.locationAddress) : null,
    ];
    this.live = h("p", { class: "sr", role: "status", "aria-live": "polite" });
    const closedText = e.status === "CANCELLED" ? t.cancelled : e.status === "COMPLETED" ? t.completed : !e.open ? t.closed : null;

    const form = h("form", { novalidate: true, "aria-labelledby": `${this.uid}-t` }) as HTMLFormElement;
    const types = h("fieldset", { "aria-describedby": `${this.uid}-ticketTypeId-e` }, h("legend", {}, t.tickets));
    const inPlace = e.ticketTypes.filter((x) => this.selectable(x));
    for (const tt of e.ticketTypes) {
      const id = `${this.uid}-tt-${tt.id}`;
      const canPick = this.selectable(tt);
      const radio = tt.mode === "inPlace" ? (h("input", { type: "radio", name: "ticketTypeId", value: tt.id, id, disabled: !canPick, checked: canPick && inPlace.length === 1 }) as HTMLInputElement) : null;
      const seats = h("span", { class: tt.soldOut || !tt.onSale ? "s o" : "s" }, this.seatsText(tt));
      const label = h(
        "label",
        { class: canPick ? "t" : "t x", for: radio ? id : null },
        radio,
        h(
          "span",
          { class: "tb" },
          h("span", { class: "tn" }, tt.name),
          h("span", { class: "tr" }, h("span", {}, this.price(tt)), seats),
          tt.description ? h("span", { class: "td" }, tt.description) : null,
          tt.mode === "eventPage" ? h("span", { class: "td" }, t.onEventPage) : null,
        ),
      );
      this.seatNodes.set(tt.id, { seats, radio, label });
      types.append(label);
    }
    types.append(h("p", { class: "e", id: `${this.uid}-ticketTypeId-e` }));
    form.append(types);

    const content: (Node | null)[] = [...head, this.live];
    if (closedText) {
      content.push(h("p", { class: "n", role: "note" }, closedText), types);
      this.show(...(content.filter(Boolean) as Node[]), this.footer());
      return;
    }
    if (!e.guests) {
      content.push(types, h("p", { class: "n" }, t.signInNeeded), this.eventPageLink(t.openEventPage, true));
      this.show(...(content.filter(Boolean) as Node[]), this.footer());
      return;
    }

    form.append(
      this.textField("firstName", t.firstName, "text", true, "given-name"),
      this.textField("lastName", t.lastName, "text", false, "family-name"),
      this.textField("email", t.email, "email", true, "email", t.emailHint),
    );
    for (const f of e.fields) form.append(this.customField(f));
    form.append(h("p", { class: "fe", id: `${this.uid}-fe`, role: "alert" }));
    const submit = h("button", { type: "submit" }, t.register) as HTMLButtonElement;
    form.append(submit);
    if (e.ticketTypes.some((x) => x.mode === "eventPage")) form.append(this.eventPageLink(t.openEventPage, false));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      void this.submit(form, submit);
    });
    content.push(form);
    this.show(...(content.filter(Boolean) as Node[]), this.footer());
  }

  private footer(): HTMLElement {
    return h("p", { class: "p" }, h("a", { href: this.event!.eventUrl, target: "_blank", rel: "noopener" }, this.t.poweredBy, h("span", { class: "sr" }, ` ${this.t.newWindow}`)));
  }

  private fieldIds(name: string) {
    const safe = name.replace(/[^a-zA-Z0-9_-]/g, "_");
    return { id: `${this.uid}-f-${safe}`, err: `${this.uid}-f-${safe}-e`, hint: `${this.uid}-f-${safe}-h` };
  }

  private labelText(text: string, required: boolean): (Node | string)[] {
    return required ? [text, " ", h("span", { class: "r" }, `(${this.t.required})`)] : [text];
  }

  private textField(name: string, label: string, type: string, required: boolean, autocomplete: string, hint?: string): HTMLElement {
    const ids = this.fieldIds(name);
    return h(
      "div",
      { class: "f" },
      h("label", { for: ids.id }, ...this.labelText(label, required)),
      h("input", { type, id: ids.id, name, required, autocomplete, "aria-describedby": hint ? `${ids.hint} ${ids.err}` : ids.err, maxlength: type === "email" ? "254" : "100" }),
      hint ? h("p", { class: "h", id: ids.hint }, hint) : null,
      h("p", { class: "e", id: ids.err }),
    );
  }

  private customField(f: Field): HTMLElement {
    const name = `customFields.${f.key}`;
    const ids = this.fieldIds(name);
    if (f.type === "checkbox") {
      return h(
        "div",
        { class: "f" },
        h("div", { class: "c" }, h("input", { type: "checkbox", id: ids.id, name, required: f.required, "aria-describedby": ids.err }), h("label", { for: ids.id }, ...this.labelText(f.label, f.required))),
        h("p", { class: "e", id: ids.err }),
      );
    }
    const control =
      f.type === "select"
        ? h("select", { id: ids.id, name, required: f.required, "aria-describedby": ids.err }, h("option", { value: "" }, this.t.selectPlaceholder), ...(f.options ?? []).map((o) => h("option", { value: o }, o)))
        : h("input", { type: "text", id: ids.id, name, required: f.required, "aria-describedby": ids.err, maxlength: "500" });
    return h("div", { class: "f" }, h("label", { for: ids.id }, ...this.labelText(f.label, f.required)), control, h("p", { class: "e", id: ids.err }));
  }

  // ───────────── submitting ─────────────

  private clearErrors(form: HTMLFormElement): void {
    for (const el of Array.from(form.querySelectorAll(".e,.fe"))) el.textContent = "";
    for (const el of Array.from(form.querySelectorAll("[aria-invalid]"))) el.removeAttribute("aria-invalid");
  }

  /** Shows the server's field errors on the fields (unknown names on the form); focuses the first. */
  private showErrors(form: HTMLFormElement, fieldErrors: Record<string, string>, formMessage: string | null): void {
    let first: HTMLElement | null = null;
    const rest: string[] = [];
    for (const [name, message] of Object.entries(fieldErrors)) {
      if (name === "ticketTypeId") {
        this.root.getElementById(`${this.uid}-ticketTypeId-e`)!.textContent = message;
        first ??= form.querySelector<HTMLInputElement>("input[name=ticketTypeId]:not([disabled])");
        continue;
      }
      const ids = this.fieldIds(name);
      const control = this.root.getElementById(ids.id);
      const err = this.root.getElementById(ids.err);
      if (!control || !err) {
        rest.push(message);
        continue;
      }
      err.textContent = message;
      control.setAttribute("aria-invalid", "true");
      first ??= control;
    }
    const fe = this.root.getElementById(`${this.uid}-fe`)!;
    fe.textContent = [formMessage, ...rest].filter(Boolean).join(" ");
    if (first) first.focus();
  }

  private bodyOf(form: HTMLFormElement): Record<string, unknown> {
    const data = new FormData(form);
    const customFields: Record<string, string | boolean> = {};
    for (const f of this.event!.fields) {
      const v = data.get(`customFields.${f.key}`);
      if (f.type === "checkbox") customFields[f.key] = v !== null;
      else if (typeof v === "string" && v.trim()) customFields[f.key] = v;
    }
    const text = (name: string) => {
      const v = data.get(name);
      return typeof v === "string" && v.trim() ? v.trim() : null;
    };
    return {
      ticketTypeId: text("ticketTypeId") ?? "",
      firstName: text("firstName"),
      lastName: text("lastName"),
      email: text("email"),
      ...(this.event!.fields.length ? { customFields } : {}),
    };
  }

  private async submit(form: HTMLFormElement, button: HTMLButtonElement): Promise<void> {
    if (button.disabled) return;
    this.clearErrors(form);
    const body = this.bodyOf(form);
    if (!body.ticketTypeId) {
      this.showErrors(form, { ticketTypeId: this.t.chooseTicket }, null);
      return;
    }
    const text = JSON.stringify(body);
    // One key per submission: pressing again after a lost answer repeats it (the server answers the first
    // result); a changed form is a new submission.
    if (!this.pending || this.pending.body !== text) this.pending = { key: randomKey(), body: text };
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = this.t.registering;
    try {
      let res: Response;
      try {
        res = await fetch(this.url("/registrations"), {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": this.pending.key, "accept-language": this.lang },
          body: text,
          credentials: "omit",
        });
      } catch {
        this.showErrors(form, {}, this.t.networkError);
        return;
      }
      const answer = (await res.json().catch(() => ({}))) as { registration?: Registration } & ApiError;
      if (res.ok && answer.registration) {
        this.pending = null;
        this.success(answer.registration, typeof body.email === "string" ? body.email : "");
        return;
      }
      if (res.status === 429) {
        this.showErrors(form, {}, fill(this.t.rateLimited, { s: res.headers.get("retry-after") ?? "60" }));
        return;
      }
      if (res.status === 409 || res.status === 404) void this.refresh(true);
      const fieldErrors = answer.fieldErrors ?? {};
      const hasFields = Object.keys(fieldErrors).some((k) => k !== "_form");
      const formError = fieldErrors._form ?? null;
      delete fieldErrors._form;
      this.showErrors(form, fieldErrors, hasFields ? [this.t.fixFields, formError].filter(Boolean).join(" ") : (formError ?? answer.message ?? this.t.loadFailed));
    } finally {
      if (!this.done) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        button.textContent = this.t.register;
      }
    }
  }

  private success(r: Registration, email: string): void {
    this.done = true;
    const t = this.t;
    const e = this.event!;
    const reserved = r.status !== "CONFIRMED";
    const when = r.expiresAt ? new Intl.DateTimeFormat(this.lang, { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZone: e.timezone }).format(new Date(r.expiresAt)) : null;
    const box = h(
      "div",
      { class: "ok", role: "status", tabindex: "-1" },
      h("h3", {}, reserved ? t.reservedTitle : t.doneTitle),
      h("p", {}, fill(t.code, { code: r.confirmationCode })),
      email && !reserved ? h("p", {}, fill(t.emailSent, { email })) : null,
      reserved ? h("p", {}, when ? fill(t.payBy, { date: when }) : t.payLater) : null,
      r.ticketUrl ? h("a", { class: "b", href: r.ticketUrl, target: "_blank", rel: "noopener" }, t.openTicket, h("span", { class: "sr" }, ` ${t.newWindow}`)) : null,
    );
    const again = h("button", { type: "button", class: "b2" }, t.another);
    again.addEventListener("click", () => {
      void this.refresh(true).then(() => {
        this.renderForm();
        (this.root.querySelector("input:not([disabled]),select") as HTMLElement | null)?.focus();
      });
    });
    this.show(h("h2", { id: `${this.uid}-t` }, e.title), box, again, this.footer());
    box.focus();
  }

  // ───────────── live seats ─────────────

  private startRefresh(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (document.visibilityState === "visible" && !this.done) void this.refresh(false);
    }, REFRESH_MS);
  }

  /** Reads the seats again and updates them in place (what is typed in the form stays). */
  private async refresh(fresh: boolean): Promise<void> {
    let next: WidgetEvent | number;
    try {
      next = await this.fetchEvent(fresh);
    } catch {
      return;
    }
    if (typeof next === "number" || !this.event) return;
    const before = this.event;
    this.event = next;
    const sameShape =
      before.open === next.open && before.guests === next.guests && before.ticketTypes.map((x) => x.id + x.mode).join() === next.ticketTypes.map((x) => x.id + x.mode).join();
    if (!sameShape) {
      if (!this.done) this.renderForm();
      return;
    }
    const changed: string[] = [];
    for (const tt of next.ticketTypes) {
      const nodes = this.seatNodes.get(tt.id);
      if (!nodes) continue;
      const text = this.seatsText(tt);
      if (nodes.seats.textContent !== text) changed.push(`${tt.name}: ${text}`);
      nodes.seats.textContent = text;
      nodes.seats.className = tt.soldOut || !tt.onSale ? "s o" : "s";
      const canPick = this.selectable(tt);
      nodes.label.className = canPick ? "t" : "t x";
      if (nodes.radio) {
        nodes.radio.disabled = !canPick;
        if (!canPick) nodes.radio.checked = false;
      }
    }
    if (changed.length && this.live) this.live.textContent = changed.join(". ");
  }
}
