import { notFound } from "next/navigation";

/** Any path no route matches (after proxy.ts prefixed the locale): the localized 404 page. */
export default function UnknownPage() {
  notFound();
}
