export { DEFAULT_PRIMARY_COLOR, type TEmailBrand } from "./brand";
export { EMAIL_LOCALES, emailLocale, formatEmailDate, type TEmailLocale } from "./i18n";
export {
  renderEmail,
  type TEmailInput,
  type TEmailKind,
  type TInvitationEmailInput,
  type TNewLinkRequestEmailInput,
  type TReconnectEmailInput,
  type TRenderedEmail,
  type TVerificationEmailInput,
} from "./render";
