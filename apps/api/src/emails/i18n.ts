// Strings of the transactional emails, one plain dictionary per locale. `TEmailStrings`
// is derived from English, so a locale missing a key (or carrying an unknown one) does not
// compile. `{name}` placeholders are filled by `fill`; each locale must use the same ones
// as English (checked by i18n.test.ts).

export const EMAIL_LOCALES = ["en", "fr", "de", "es", "ja"] as const;
export type TEmailLocale = (typeof EMAIL_LOCALES)[number];

const en = {
  invitationSubject: "{company} invites you to connect your utility account",
  invitationPreview: "Give {company} access to your utility bills in a few minutes.",
  invitationHeading: "Connect your utility account",
  invitationIntro:
    "{company} invites you to connect your utility account (electricity, gas, water…) so that it can collect the bills of the buildings it manages.",
  invitationIntroWithInviter:
    "{inviter} from {company} invites you to connect your utility account (electricity, gas, water…) so that {company} can collect the bills of the buildings it manages.",
  invitationHow:
    "You sign in on your utility's own website, in a secure window. It takes one to three minutes, and nobody at {company} ever sees your password.",
  invitationButton: "Connect your utility account",
  invitationExpires: "This invitation expires on {date}.",
  messageFrom: "Message from {name}:",
  verificationSubject: "Confirm your email address for {company}",
  verificationPreview: "One click to confirm your email address.",
  verificationHeading: "Confirm your email address",
  verificationIntro:
    "To continue connecting your utility account for {company}, confirm that this email address is yours.",
  verificationButton: "Confirm my email address",
  reconnectSubject: "Action needed: reconnect your utility account for {company}",
  reconnectPreview: "{company} can no longer collect your bills.",
  reconnectHeading: "Your utility account needs to be reconnected",
  reconnectIntro:
    "{company} can no longer access your utility account, so your bills are not being collected. This usually happens after a password change.",
  reconnectIntroWithProvider:
    "{company} can no longer access your {provider} account, so your bills are not being collected. This usually happens after a password change.",
  reconnectButton: "Reconnect your account",
  linkExpires: "This link expires on {date}.",
  linkFallback: "If the button does not work, copy and paste this link into your browser:",
  noPassword:
    "No one will ever ask you for your password by email. Never reply to a message that asks for it.",
  notExpecting: "If you were not expecting this email, you can ignore it.",
  poweredBy: "Powered by {vendor}",
  sentOnBehalfOf: "Sent on behalf of {company}",
  newLinkSubject: "A recipient asked for a new invitation link",
  newLinkPreview:
    "Someone could not use an invitation link from {company} and asked for a new one.",
  newLinkHeading: "Someone asked for a new link",
  newLinkIntro:
    "Someone opened an invitation link from {company} that can no longer be used and asked you for a new one.",
  newLinkExpired: "The link expired.",
  newLinkRevoked: "The link was cancelled.",
  newLinkFulfilled: "The link was already used up.",
  newLinkNext:
    "Open the invitation to see its activity. If they should still connect an account, send them a new invitation.",
  newLinkButton: "Open the invitation",
};

export type TEmailStrings = { [TKey in keyof typeof en]: string };

const fr: TEmailStrings = {
  invitationSubject: "{company} vous invite à connecter votre compte fournisseur d'énergie",
  invitationPreview: "Donnez à {company} l'accès à vos factures en quelques minutes.",
  invitationHeading: "Connectez votre compte fournisseur",
  invitationIntro:
    "{company} vous invite à connecter votre compte fournisseur (électricité, gaz, eau…) afin de récupérer les factures des bâtiments qu'elle gère.",
  invitationIntroWithInviter:
    "{inviter}, de {company}, vous invite à connecter votre compte fournisseur (électricité, gaz, eau…) afin que {company} récupère les factures des bâtiments qu'elle gère.",
  invitationHow:
    "Vous vous connectez sur le site de votre fournisseur, dans une fenêtre sécurisée. Cela prend une à trois minutes, et personne chez {company} ne voit jamais votre mot de passe.",
  invitationButton: "Connecter mon compte fournisseur",
  invitationExpires: "Cette invitation expire le {date}.",
  messageFrom: "Message de {name} :",
  verificationSubject: "Confirmez votre adresse e-mail pour {company}",
  verificationPreview: "Un clic pour confirmer votre adresse e-mail.",
  verificationHeading: "Confirmez votre adresse e-mail",
  verificationIntro:
    "Pour continuer à connecter votre compte fournisseur pour {company}, confirmez que cette adresse e-mail est bien la vôtre.",
  verificationButton: "Confirmer mon adresse e-mail",
  reconnectSubject: "Action requise : reconnectez votre compte fournisseur pour {company}",
  reconnectPreview: "{company} ne peut plus récupérer vos factures.",
  reconnectHeading: "Votre compte fournisseur doit être reconnecté",
  reconnectIntro:
    "{company} ne peut plus accéder à votre compte fournisseur : vos factures ne sont plus récupérées. Cela arrive généralement après un changement de mot de passe.",
  reconnectIntroWithProvider:
    "{company} ne peut plus accéder à votre compte {provider} : vos factures ne sont plus récupérées. Cela arrive généralement après un changement de mot de passe.",
  reconnectButton: "Reconnecter mon compte",
  linkExpires: "Ce lien expire le {date}.",
  linkFallback: "Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :",
  noPassword:
    "Personne ne vous demandera jamais votre mot de passe par e-mail. Ne répondez jamais à un message qui vous le demande.",
  notExpecting: "Si vous n'attendiez pas cet e-mail, vous pouvez l'ignorer.",
  poweredBy: "Propulsé par {vendor}",
  sentOnBehalfOf: "Envoyé au nom de {company}",
  newLinkSubject: "Un destinataire demande un nouveau lien d'invitation",
  newLinkPreview:
    "Quelqu'un n'a pas pu utiliser un lien d'invitation de {company} et en demande un nouveau.",
  newLinkHeading: "Quelqu'un demande un nouveau lien",
  newLinkIntro:
    "Quelqu'un a ouvert un lien d'invitation de {company} qui n'est plus utilisable et vous en demande un nouveau.",
  newLinkExpired: "Le lien a expiré.",
  newLinkRevoked: "Le lien a été annulé.",
  newLinkFulfilled: "Le lien a déjà été utilisé.",
  newLinkNext:
    "Ouvrez l'invitation pour voir son activité. Si cette personne doit encore connecter un compte, envoyez-lui une nouvelle invitation.",
  newLinkButton: "Ouvrir l'invitation",
};

const de: TEmailStrings = {
  invitationSubject: "{company} lädt Sie ein, Ihr Versorgerkonto zu verbinden",
  invitationPreview: "Geben Sie {company} in wenigen Minuten Zugriff auf Ihre Rechnungen.",
  invitationHeading: "Verbinden Sie Ihr Versorgerkonto",
  invitationIntro:
    "{company} lädt Sie ein, Ihr Versorgerkonto (Strom, Gas, Wasser…) zu verbinden, damit die Rechnungen der verwalteten Gebäude abgerufen werden können.",
  invitationIntroWithInviter:
    "{inviter} von {company} lädt Sie ein, Ihr Versorgerkonto (Strom, Gas, Wasser…) zu verbinden, damit {company} die Rechnungen der verwalteten Gebäude abrufen kann.",
  invitationHow:
    "Sie melden sich in einem sicheren Fenster auf der Website Ihres Versorgers an. Das dauert ein bis drei Minuten, und niemand bei {company} sieht jemals Ihr Passwort.",
  invitationButton: "Versorgerkonto verbinden",
  invitationExpires: "Diese Einladung läuft am {date} ab.",
  messageFrom: "Nachricht von {name}:",
  verificationSubject: "Bestätigen Sie Ihre E-Mail-Adresse für {company}",
  verificationPreview: "Ein Klick, um Ihre E-Mail-Adresse zu bestätigen.",
  verificationHeading: "Bestätigen Sie Ihre E-Mail-Adresse",
  verificationIntro:
    "Um Ihr Versorgerkonto für {company} weiter zu verbinden, bestätigen Sie bitte, dass diese E-Mail-Adresse Ihnen gehört.",
  verificationButton: "E-Mail-Adresse bestätigen",
  reconnectSubject: "Handlungsbedarf: Verbinden Sie Ihr Versorgerkonto für {company} erneut",
  reconnectPreview: "{company} kann Ihre Rechnungen nicht mehr abrufen.",
  reconnectHeading: "Ihr Versorgerkonto muss neu verbunden werden",
  reconnectIntro:
    "{company} hat keinen Zugriff mehr auf Ihr Versorgerkonto, daher werden Ihre Rechnungen nicht mehr abgerufen. Das passiert meist nach einer Passwortänderung.",
  reconnectIntroWithProvider:
    "{company} hat keinen Zugriff mehr auf Ihr {provider}-Konto, daher werden Ihre Rechnungen nicht mehr abgerufen. Das passiert meist nach einer Passwortänderung.",
  reconnectButton: "Konto neu verbinden",
  linkExpires: "Dieser Link läuft am {date} ab.",
  linkFallback:
    "Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:",
  noPassword:
    "Niemand wird Sie jemals per E-Mail nach Ihrem Passwort fragen. Antworten Sie nie auf eine Nachricht, die danach fragt.",
  notExpecting: "Wenn Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren.",
  poweredBy: "Bereitgestellt von {vendor}",
  sentOnBehalfOf: "Gesendet im Auftrag von {company}",
  newLinkSubject: "Ein Empfänger bittet um einen neuen Einladungslink",
  newLinkPreview:
    "Jemand konnte einen Einladungslink von {company} nicht verwenden und bittet um einen neuen.",
  newLinkHeading: "Jemand bittet um einen neuen Link",
  newLinkIntro:
    "Jemand hat einen Einladungslink von {company} geöffnet, der nicht mehr verwendet werden kann, und bittet Sie um einen neuen.",
  newLinkExpired: "Der Link ist abgelaufen.",
  newLinkRevoked: "Der Link wurde storniert.",
  newLinkFulfilled: "Der Link wurde bereits verwendet.",
  newLinkNext:
    "Öffnen Sie die Einladung, um ihren Verlauf zu sehen. Wenn die Person noch ein Konto verbinden soll, senden Sie ihr eine neue Einladung.",
  newLinkButton: "Einladung öffnen",
};

const es: TEmailStrings = {
  invitationSubject: "{company} le invita a conectar su cuenta de suministros",
  invitationPreview: "Dé a {company} acceso a sus facturas en unos minutos.",
  invitationHeading: "Conecte su cuenta de suministros",
  invitationIntro:
    "{company} le invita a conectar su cuenta de suministros (electricidad, gas, agua…) para recopilar las facturas de los edificios que gestiona.",
  invitationIntroWithInviter:
    "{inviter}, de {company}, le invita a conectar su cuenta de suministros (electricidad, gas, agua…) para que {company} recopile las facturas de los edificios que gestiona.",
  invitationHow:
    "Inicia sesión en el sitio web de su propia compañía, en una ventana segura. Tarda de uno a tres minutos y nadie en {company} verá nunca su contraseña.",
  invitationButton: "Conectar mi cuenta de suministros",
  invitationExpires: "Esta invitación caduca el {date}.",
  messageFrom: "Mensaje de {name}:",
  verificationSubject: "Confirme su dirección de correo electrónico para {company}",
  verificationPreview: "Un clic para confirmar su dirección de correo electrónico.",
  verificationHeading: "Confirme su dirección de correo electrónico",
  verificationIntro:
    "Para seguir conectando su cuenta de suministros para {company}, confirme que esta dirección de correo electrónico es suya.",
  verificationButton: "Confirmar mi correo electrónico",
  reconnectSubject: "Acción necesaria: vuelva a conectar su cuenta de suministros para {company}",
  reconnectPreview: "{company} ya no puede recopilar sus facturas.",
  reconnectHeading: "Debe volver a conectar su cuenta de suministros",
  reconnectIntro:
    "{company} ya no puede acceder a su cuenta de suministros, por lo que sus facturas no se están recopilando. Suele ocurrir tras un cambio de contraseña.",
  reconnectIntroWithProvider:
    "{company} ya no puede acceder a su cuenta de {provider}, por lo que sus facturas no se están recopilando. Suele ocurrir tras un cambio de contraseña.",
  reconnectButton: "Volver a conectar mi cuenta",
  linkExpires: "Este enlace caduca el {date}.",
  linkFallback: "Si el botón no funciona, copie y pegue este enlace en su navegador:",
  noPassword:
    "Nadie le pedirá nunca su contraseña por correo electrónico. No responda nunca a un mensaje que se la pida.",
  notExpecting: "Si no esperaba este correo, puede ignorarlo.",
  poweredBy: "Con la tecnología de {vendor}",
  sentOnBehalfOf: "Enviado en nombre de {company}",
  newLinkSubject: "Un destinatario pide un nuevo enlace de invitación",
  newLinkPreview: "Alguien no pudo usar un enlace de invitación de {company} y pide uno nuevo.",
  newLinkHeading: "Alguien pide un nuevo enlace",
  newLinkIntro:
    "Alguien abrió un enlace de invitación de {company} que ya no se puede usar y le pide uno nuevo.",
  newLinkExpired: "El enlace ha caducado.",
  newLinkRevoked: "El enlace fue cancelado.",
  newLinkFulfilled: "El enlace ya se ha utilizado.",
  newLinkNext:
    "Abra la invitación para ver su actividad. Si esa persona todavía debe conectar una cuenta, envíele una nueva invitación.",
  newLinkButton: "Abrir la invitación",
};

const ja: TEmailStrings = {
  invitationSubject: "{company}から公共料金アカウント連携のご招待",
  invitationPreview: "数分で{company}に請求書へのアクセスを許可できます。",
  invitationHeading: "公共料金アカウントを連携してください",
  invitationIntro:
    "{company}は、管理する建物の請求書を取得するため、公共料金アカウント（電気・ガス・水道など）の連携をお願いしています。",
  invitationIntroWithInviter:
    "{company}の{inviter}様より、管理する建物の請求書を取得するため、公共料金アカウント（電気・ガス・水道など）の連携をお願いしています。",
  invitationHow:
    "安全なウィンドウ内で、ご利用の事業者の公式サイトにログインします。所要時間は1〜3分で、{company}の担当者がパスワードを見ることはありません。",
  invitationButton: "公共料金アカウントを連携する",
  invitationExpires: "この招待の有効期限は{date}です。",
  messageFrom: "{name}からのメッセージ：",
  verificationSubject: "{company}のメールアドレス確認",
  verificationPreview: "ワンクリックでメールアドレスを確認できます。",
  verificationHeading: "メールアドレスを確認してください",
  verificationIntro:
    "{company}の公共料金アカウント連携を続けるには、このメールアドレスがご本人のものであることを確認してください。",
  verificationButton: "メールアドレスを確認する",
  reconnectSubject: "対応が必要です：{company}の公共料金アカウントを再連携してください",
  reconnectPreview: "{company}は請求書を取得できなくなりました。",
  reconnectHeading: "公共料金アカウントの再連携が必要です",
  reconnectIntro:
    "{company}は公共料金アカウントにアクセスできなくなったため、請求書を取得できていません。通常、パスワード変更後に発生します。",
  reconnectIntroWithProvider:
    "{company}は{provider}アカウントにアクセスできなくなったため、請求書を取得できていません。通常、パスワード変更後に発生します。",
  reconnectButton: "アカウントを再連携する",
  linkExpires: "このリンクの有効期限は{date}です。",
  linkFallback: "ボタンが機能しない場合は、次のリンクをブラウザに貼り付けてください：",
  noPassword:
    "メールでパスワードをお尋ねすることは決してありません。パスワードを求めるメッセージには返信しないでください。",
  notExpecting: "このメールにお心当たりがない場合は、破棄してください。",
  poweredBy: "Powered by {vendor}",
  sentOnBehalfOf: "{company}に代わって送信",
  newLinkSubject: "受信者が新しい招待リンクを求めています",
  newLinkPreview: "{company} の招待リンクを使えなかった方が、新しいリンクを求めています。",
  newLinkHeading: "新しいリンクのリクエストがありました",
  newLinkIntro:
    "{company} の招待リンクを開いた方が、そのリンクを使えなかったため、新しいリンクを求めています。",
  newLinkExpired: "リンクの有効期限が切れています。",
  newLinkRevoked: "リンクは取り消されています。",
  newLinkFulfilled: "リンクはすでに使用済みです。",
  newLinkNext:
    "招待を開いて履歴を確認してください。引き続きアカウントを接続してもらう場合は、新しい招待を送ってください。",
  newLinkButton: "招待を開く",
};

export const EMAIL_STRINGS: Record<TEmailLocale, TEmailStrings> = { en, fr, de, es, ja };

/**
 * The supported locale closest to `input` ("fr-CA" → "fr", "ja_JP" → "ja"); English for
 * anything else, including nothing.
 */
export function emailLocale(input?: string | null): TEmailLocale {
  const language = input?.trim().toLowerCase().split(/[-_]/)[0];
  return EMAIL_LOCALES.find((locale) => locale === language) ?? "en";
}

/** Replaces each `{name}` with `values[name]`; an unknown placeholder is left visible. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}

/**
 * A date and time in the locale's own format, with its time zone named: recipients are
 * anywhere, and "expires on 5 June at 14:30" alone would be ambiguous.
 */
export function formatEmailDate(date: Date, locale: TEmailLocale, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(date);
}
