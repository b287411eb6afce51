// <head> of an event page: title, description, canonical, Open Graph and Twitter card (cover LARGE).
import type { Metadata } from "next";
import { mediaVariantUrl } from "@/lib/media/urls";
import { eventPath } from "./format";
import type { PublicEvent } from "./queries";

export function eventMetadata(event: PublicEvent, baseUrl: string, locale: string): Metadata {
  const plain = (event.description ?? "")
    .replace(/[#*_`>[\]()!~|]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const description = plain ? (plain.length > 200 ? `${plain.slice(0, 197)}…` : plain) : `${event.organization.name}`;
  const path = eventPath(event.organization.slug, event.slug);
  const image = event.cover ? new URL(mediaVariantUrl(event.cover, "LARGE"), `${baseUrl}/`).toString() : null;
  const large = event.cover?.variants?.find((v) => v.variantType === "LARGE");
  return {
    metadataBase: new URL(`${baseUrl}/`),
    title: event.title,
    description,
    alternates: { canonical: path },
    robots: event.isPrivate ? { index: false, follow: false } : undefined,
    openGraph: {
      type: "website",
      url: path,
      title: event.title,
      description,
      siteName: "AqStream",
      locale: locale === "en" ? "en_US" : "ru_RU",
      ...(image ? { images: [{ url: image, ...(large ? { width: large.width, height: large.height } : {}), alt: event.title }] } : {}),
    },
    twitter: { card: image ? "summary_large_image" : "summary", title: event.title, description, ...(image ? { images: [image] } : {}) },
  };
}
