// Sound and vibration for a scan result: the moderator keeps looking at the attendee, not the screen.
// Three distinct patterns: valid — two rising high beeps and one short buzz; already checked in — two
// flat middle beeps; refused — a long low buzz. WebAudio needs a user gesture first: unlockAudio() is
// called from the "start" tap.
export type FeedbackKind = "valid" | "already" | "refused";

let audio: AudioContext | null = null;

export function unlockAudio(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    audio ??= new Ctx();
    if (audio.state === "suspended") void audio.resume();
  } catch {
    audio = null;
  }
}

function tone(ctx: AudioContext, frequency: number, start: number, duration: number, type: OscillatorType) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  osc.frequency.value = frequency;
  // Short attack/release: no clicks.
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.25, start + 0.01);
  gain.gain.setValueAtTime(0.25, start + duration - 0.03);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + duration + 0.01);
}

const SOUNDS: Record<FeedbackKind, Array<[frequency: number, offset: number, duration: number, type: OscillatorType]>> = {
  valid: [
    [880, 0, 0.09, "sine"],
    [1320, 0.11, 0.14, "sine"],
  ],
  already: [
    [520, 0, 0.12, "triangle"],
    [520, 0.18, 0.12, "triangle"],
  ],
  refused: [[180, 0, 0.5, "square"]],
};

const VIBRATIONS: Record<FeedbackKind, number[]> = {
  valid: [70],
  already: [60, 80, 60],
  refused: [250, 100, 250],
};

export function playFeedback(kind: FeedbackKind, { sound = true }: { sound?: boolean } = {}): void {
  try {
    navigator.vibrate?.(VIBRATIONS[kind]);
  } catch {
    // not supported (desktop, iOS)
  }
  if (!sound || !audio) return;
  try {
    if (audio.state === "suspended") void audio.resume();
    const t0 = audio.currentTime + 0.01;
    for (const [f, offset, duration, type] of SOUNDS[kind]) tone(audio, f, t0 + offset, duration, type);
  } catch {
    // audio output unavailable
  }
}
