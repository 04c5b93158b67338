// Step 3: the link is emailed from the company's name, or the admin shares it.
import { ChoiceGroup, firstMatching, Input, Select, TextArea } from "../../components/Form";
import { INVITATION_LOCALES, type TDraft, type TUpdateDraft } from "./draft";

export function DeliveryStep({
  draft,
  update,
  errors,
}: {
  draft: TDraft;
  update: TUpdateDraft;
  errors: Record<string, string>;
}) {
  return (
    <div className="space-y-4">
      <ChoiceGroup
        legend="Delivery"
        name="delivery"
        value={draft.deliveryKind}
        onChange={(v) => update("deliveryKind", v)}
        options={[
          {
            value: "email",
            title: "Send by email (recommended)",
            text: "We email the link from your company's name, and you can resend it.",
          },
          {
            value: "manual",
            title: "I'll share the link myself",
            text: "Copy the link or embed it in your own site.",
          },
        ]}
      />
      {draft.deliveryKind === "email" ? (
        <TextArea
          label="Recipients"
          hint="One or more addresses, separated by commas or new lines."
          value={draft.recipients}
          onChange={(v) => update("recipients", v)}
          error={errors["delivery.recipients"] ?? firstMatching(errors, "delivery.recipients.")}
        />
      ) : null}
      <Select
        label="Language"
        hint="Of the emails and of the recipient's pages (the recipient can switch)."
        value={draft.locale}
        options={INVITATION_LOCALES}
        onChange={(v) => update("locale", v)}
      />
      <Input
        label="Name (optional)"
        placeholder="e.g. Harbor View, boiler room"
        maxLength={120}
        value={draft.name}
        onChange={(v) => update("name", v)}
        error={errors.name}
      />
      <TextArea
        label="Personal message (optional)"
        hint="Shown in the email and on the invitation page."
        value={draft.message}
        onChange={(v) => update("message", v)}
        error={errors.message}
      />
    </div>
  );
}
