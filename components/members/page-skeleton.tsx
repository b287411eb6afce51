// The loading state of the members and groups pages: a title and two card placeholders.
export function PageSkeleton({ label }: { label?: string }) {
  return (
    <div className="flex flex-col gap-6" aria-busy="true" role="status" aria-label={label}>
      <div className="flex flex-col gap-2">
        <div className="h-8 w-48 animate-pulse rounded-lg bg-slate-200" />
        <div className="h-4 w-72 max-w-full animate-pulse rounded bg-slate-100" />
      </div>
      {[0, 1].map((i) => (
        <div key={i} className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-5 sm:p-6">
          <div className="h-6 w-40 animate-pulse rounded bg-slate-200" />
          <div className="h-12 w-full animate-pulse rounded-xl bg-slate-100" />
          <div className="h-12 w-full animate-pulse rounded-xl bg-slate-100" />
        </div>
      ))}
    </div>
  );
}
