// The Telegram paper plane and the Telegram-blue button style (white on #0a7cbf: contrast 4.5:1).
import { cn } from "@/components/ui/cn";

export const telegramButtonClasses = cn(
  "inline-flex min-h-12 w-full items-center justify-center gap-2 rounded-xl px-5 text-base font-semibold text-white select-none",
  "bg-[#0a7cbf] hover:bg-[#086aa3] active:bg-[#075d8f] transition-colors",
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600",
  "disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-not-allowed aria-disabled:opacity-60",
);

export function TelegramIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" className={cn("size-5 shrink-0", className)} aria-hidden="true" fill="currentColor">
      <path d="M21.94 4.66a1.2 1.2 0 0 0-1.63-1.3L2.9 10.1c-1.02.4-1 1.86.03 2.22l4.3 1.5 1.66 5.33c.2.66 1.03.87 1.52.38l2.42-2.42 4.5 3.3c.7.52 1.7.13 1.87-.72L21.94 4.66zM9.5 13.6l8.06-5.08c.16-.1.33.12.19.25l-6.63 6.12-.26 2.9-1.36-4.19z" />
    </svg>
  );
}
