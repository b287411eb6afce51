// An <img> with srcset/sizes from a Media row's WebP variants (lib/media/urls.ts). Server-safe: no
// hooks, no "use client" — usable in Server and Client Components alike. While the variants are being
// made it shows the original. width/height reserve the space (no layout shift); lazy unless `priority`.
import type { CSSProperties } from "react";
import { mediaSources, type MediaVariantName, type MediaWithVariants } from "@/lib/media/urls";

export type ResponsiveImageProps = {
  media: MediaWithVariants;
  alt: string;
  /** The <img sizes> attribute: how wide the image is shown, e.g. "(min-width: 768px) 600px, 100vw". */
  sizes?: string;
  /** Above the fold (e.g. an event cover): eager loading and high fetch priority. */
  priority?: boolean;
  /** Variant used as `src` for browsers without srcset. Default MEDIUM. */
  fallbackVariant?: MediaVariantName;
  className?: string;
  style?: CSSProperties;
};

export function ResponsiveImage({ media, alt, sizes = "100vw", priority = false, fallbackVariant = "MEDIUM", className, style }: ResponsiveImageProps) {
  const { src, srcSet, width, height } = mediaSources(media, fallbackVariant);
  return (
    // Our own variants already are the optimized images: a plain <img>, not next/image.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={src}
      srcSet={srcSet}
      sizes={srcSet ? sizes : undefined}
      width={width}
      height={height}
      alt={alt}
      loading={priority ? "eager" : "lazy"}
      decoding={priority ? "sync" : "async"}
      fetchPriority={priority ? "high" : undefined}
      className={className}
      style={style}
    />
  );
}
