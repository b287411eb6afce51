import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeleteOrganizationForm } from "@/components/organizations/delete-organization-form";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { SavedImageUpload } from "@/components/media/saved-image-upload";
import { OrganizationSettingsForm } from "@/components/organizations/organization-settings-form";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { getT } from "@/lib/i18n/server";
import { getOrganizationLogo } from "@/lib/media/attach";
import { deleteOrganizationAction, setOrganizationLogoAction, updateOrganizationAction } from "@/lib/organizations/actions/settings";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("organizations.settings.title") };
}

export default async function OrganizationSettingsPage({ params }: Props) {
  const { slug } = await params;
  const [{ overview }, t] = await Promise.all([loadOrganizationPage(slug), getT()]);
  const { organization, can } = overview;
  if (!can.update) notFound();
  const logo = await getOrganizationLogo({ organizationId: organization.id });

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-xl font-semibold text-slate-900 sm:text-2xl">{t("organizations.settings.title")}</h1>

      <Card aria-labelledby="settings-general">
        <CardHeader id="settings-general" title={t("organizations.settings.generalTitle")} />
        <div className="mb-4 rounded-xl bg-slate-50 p-3 text-sm">
          <p className="font-medium text-slate-800">
            {t("organizations.settings.slug")}: <span className="break-all font-mono">{organization.slug}</span>
          </p>
          <p className="mt-1 text-slate-600">{t("organizations.settings.slugFixed")}</p>
        </div>
        <div className="mb-5">
          <SavedImageUpload
            purpose="organization-logo"
            organizationSlug={organization.slug}
            initial={logo ? { id: logo.id, url: logo.url } : null}
            label={t("media.logo.label")}
            previewAlt={t("media.logo.alt", { name: organization.name })}
            action={setOrganizationLogoAction.bind(null, organization.slug)}
          />
        </div>
        <OrganizationSettingsForm
          action={updateOrganizationAction.bind(null, organization.slug)}
          defaults={{
            name: organization.name,
            description: organization.description ?? "",
            defaultTimezone: organization.settings.defaultTimezone,
            contactEmail: organization.settings.contactEmail ?? "",
            websiteUrl: organization.settings.websiteUrl ?? "",
          }}
        />
      </Card>

      <Card aria-labelledby="settings-payments">
        <CardHeader id="settings-payments" title={t("paymentsAdmin.settingsTitle")} description={t("paymentsAdmin.settingsIntro")} />
        <LinkButton href={`/dashboard/o/${organization.slug}/settings/payments`} variant="secondary" className="sm:self-start" data-testid="payments-settings-link">
          {t("paymentsAdmin.settingsLink")}
        </LinkButton>
      </Card>

      <Card aria-labelledby="settings-danger" className="border-red-200">
        <CardHeader id="settings-danger" title={t("organizations.settings.dangerTitle")} description={t("organizations.settings.dangerText")} />
        {can.delete ? (
          <DeleteOrganizationForm slug={organization.slug} action={deleteOrganizationAction.bind(null, organization.slug)} />
        ) : (
          <p className="text-sm text-slate-600" data-testid="delete-owner-only">
            {t("organizations.settings.dangerOwnerOnly")}
          </p>
        )}
      </Card>
    </div>
  );
}
