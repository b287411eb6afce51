"use client";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";

/** A submit button for `<form action={serverAction}>`: disabled and busy while the form is sending. */
export function SubmitButton(props: Omit<ButtonProps, "type" | "pending">) {
  const { pending } = useFormStatus();
  return <Button {...props} type="submit" pending={pending} />;
}
