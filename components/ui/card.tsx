import type { ComponentPropsWithRef, ReactNode } from "react";
import { cn } from "./cn";

export function Card({ className, ...rest }: ComponentPropsWithRef<"section">) {
  return <section className={cn("rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6", className)} {...rest} />;
}

export function CardHeader({ title, description, id, as: Heading = "h2" }: { title: ReactNode; description?: ReactNode; id?: string; as?: "h1" | "h2" | "h3" }) {
  return (
    <header className="mb-4 flex flex-col gap-1">
      <Heading id={id} className="text-lg font-semibold text-slate-900 sm:text-xl">{title}</Heading>
      {description && <p className="text-sm text-slate-600">{description}</p>}
    </header>
  );
}
