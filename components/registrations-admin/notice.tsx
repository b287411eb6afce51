"use client";
// One polite live region for the view: a row action reports its outcome here ("Payment recorded…"),
// above the list, so the message survives the refresh that re-renders the rows.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";

type NoticeValue = { show: (message: string) => void };
const NoticeContext = createContext<NoticeValue>({ show: () => {} });

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  const show = useCallback((m: string) => setMessage(m), []);
  const value = useMemo(() => ({ show }), [show]);
  return (
    <NoticeContext.Provider value={value}>
      <div aria-live="polite" data-testid="registrations-notice">
        {message && <Alert variant="success">{message}</Alert>}
      </div>
      {children}
    </NoticeContext.Provider>
  );
}

export function useNotice(): NoticeValue {
  return useContext(NoticeContext);
}
