-- Issue 15: email is the second channel. Alone in its migration: a new enum value cannot be used in
-- the transaction that adds it (20261207000010 uses it).
ALTER TYPE "NotificationChannel" ADD VALUE IF NOT EXISTS 'EMAIL';
