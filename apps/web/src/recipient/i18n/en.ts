// English is the source language: every other locale has exactly these keys (the type
// `TRecipientStrings` makes a missing or extra key a compile error).
export const en = {
  meta: {
    titleNeutral: "Connect your utility account",
    title: "{{company}} · Connect your utility account",
    language: "Language",
    poweredBy: "Secured by Meterlink",
  },
  progress: {
    label: "Progress",
    stepOf: "Step {{current}} of {{total}}",
    consent: "Welcome",
    verify: "Your email",
    provider: "Utility",
    "sign-in": "Sign in",
    sites: "Sites",
    done: "Done",
  },
  common: {
    continue: "Continue",
    back: "Back",
    retry: "Try again",
    loading: "Loading…",
    working: "Working…",
    required: "required",
  },
  consent: {
    headingReconnectNamed: "{{company}} asks you to reconnect your {{provider}} account",
    reconnectReason: "Why: {{reason}}",
    heading: "{{company}} asks you to connect a utility account",
    headingReconnect: "{{company}} asks you to reconnect a utility account",
    intro:
      "{{company}} collects the bills of the buildings it manages automatically, so nobody has to email a password or download PDFs by hand.",
    messageFrom: "Message from {{company}}",
    whatHappens: "What will happen",
    step1:
      "You pick your utility and sign in on its own website, shown here in a secure remote browser.",
    step2: "You tell us which buildings the account covers.",
    step3: "That's it: {{company}} receives your bills from now on.",
    duration: "It takes about 2 to 3 minutes.",
    safetyHeading: "Your password stays private",
    safety1: "You type your password on your utility's own website. Nobody at {{company}} sees it.",
    safety2: "It is stored encrypted and used only by automated bill collection.",
    safety3:
      "{{company}} can use this access only to collect bills and usage data for its buildings. You can ask them to remove it at any time.",
    expires: "This invitation is valid until {{date}}.",
    checkbox: "I agree to share access to my utility account with {{company}} for bill collection.",
    mustAgree: "Tick the box to continue.",
    start: "Get started",
  },
  verify: {
    heading: "Confirm your email address",
    intro:
      "This invitation is for specific people. Enter your email address and we will send you a link.",
    email: "Email address",
    send: "Send me a link",
    sent: "Check your inbox",
    sentBody:
      "If {{email}} can use this invitation, we have sent it a link. Open it on the device you want to continue on: the invitation carries on where the link opens.",
    waiting: "Waiting for you to click the link…",
    resend: "Use another address",
    verifying: "Confirming your email address…",
    failed: "We could not confirm your email",
    backToInvitation: "Back to the invitation",
  },
  elsewhere: {
    heading: "You continued in the other tab",
    body: "Your email address is confirmed and the invitation carries on in the tab the link opened. You can close this one.",
    here: "Continue here instead",
  },
  provider: {
    generic: "your utility",
    heading: "Which utility do you want to connect?",
    country: "Country",
    anyCountry: "All countries",
    search: "Utility name or website",
    searchHint: "For example “Northwind” or “northwind.com”.",
    results: "Utilities",
    none: "No utility matches. Check the spelling or pick another country.",
    notListed: "My utility is not listed",
    prefilled: "{{company}} asked you to connect this utility:",
    change: "Choose another utility",
    mfaHint: "Uses a one-time code",
    manualHeading: "Tell us about your utility",
    manualName: "Utility name",
    manualUrl: "Website (optional)",
    manualNameError: "Enter the utility's name.",
    manualUrlError: "Enter the website address, starting with https://.",
    // The utility is not in the list: its website address opens it in the secure browser (#17).
    notListedWebsite: "My utility is not listed — enter its website",
    manualIntro:
      "Enter its website address to sign in on the utility's own website, or just its name to type your details here.",
    manualWebsite: "Website address",
    manualWebsiteHint: "For example https://www.riverside-power.com",
    manualNameHint: "Optional when you enter the website.",
    checking: "Checking the address…",
  },
  signIn: {
    unlistedIntro:
      "This is {{domain}}, the website you entered, in a secure remote browser that only opens pages of {{domain}}. Sign in as you normally do, including any code they send you.",
    queued:
      "All secure browsers are busy. You are number {{position}} in line; it starts by itself.",
    heading: "Sign in to {{provider}}",
    intro:
      "This is {{provider}}'s real website, running in a secure remote browser. Sign in as you normally do, including any code they send you.",
    switchManual: "Can't sign in here? Enter your details instead",
    switchLive: "Sign in on the utility's website instead",
    starting: "Starting a secure browser…",
    reconnecting: "Connection lost. Reconnecting…",
    ended: "This browser session has ended.",
    replaced: "This sign-in continues in another window of yours.",
    workerLost: "The secure browser stopped. Start again: it takes a few seconds.",
    queueSoon: "Your turn should come in less than a minute.",
    queueMinutes: "Your turn should come in about {{count}} min.",
    restart: "Start again",
    back: "Go back",
    reload: "Reload",
    address: "Address of the page shown",
    secure: "Secure connection",
    notSecure: "Not secure",
    canvasLabel: "Remote browser showing {{provider}}. Click to use it and type on your keyboard.",
    failure: "The website did not accept that. Check your details and try again.",
    failureAgain:
      "Not accepted again (attempt {{count}}). Check each character; many sites lock the account after a few tries.",
    locked:
      "{{provider}} says this account is locked for now. Don't try again here: wait, or unlock it on {{provider}}'s own website or by phone, then start again — or enter your details by hand.",
    mfa: "Enter the code {{provider}} sent you.",
    unsure: "Are you signed in?",
    unsureBody: "We can't tell yet whether the sign-in worked.",
    yesSignedIn: "Yes, I'm signed in",
    notYet: "Not yet",
    success: "Signed in. One moment…",
    unavailable: "The secure browser is not available right now. Enter your details instead.",
    fleetBusyHeading: "All secure browsers are busy",
    fleetBusy:
      "Too many people are signing in right now. Wait a minute and try again, or enter your details instead.",
    dialogOk: "OK",
    dialogCancel: "Cancel",
    dialogFrom: "The website says",
  },
  manual: {
    headingGeneric: "Enter your utility sign-in details",
    heading: "Enter your {{provider}} sign-in details",
    intro:
      "Your details travel over an encrypted connection and are stored encrypted. Nobody at {{company}} can read them.",
    username: "Username or email",
    password: "Password",
    showPassword: "Show password",
    notes: "Notes (optional)",
    notesHint: "Anything that helps sign in, like an account number or security question hint.",
    usernameError: "Enter the username you use on the utility's website.",
    passwordError: "Enter the password.",
  },
  mfa: {
    heading: "One more thing: sign-in codes",
    intro:
      "{{provider}} sends a one-time code each time someone signs in. To collect your bills every week without asking you, the codes need to reach us automatically.",
    how: "How to forward the codes",
    number: "Forwarding number (texts)",
    iphone: {
      title: "iPhone: Shortcuts automation",
      steps:
        "Open the Shortcuts app, tap Automation, then New Automation (+).\nChoose Message, set Sender to {{provider}} (or Message Contains: code), choose Run Immediately.\nAdd the action Send Message: the Shortcut Input as the message, to {{target}}.\nTap Done. Texts from {{provider}} are now forwarded as they arrive.",
    },
    android: {
      title: "Android: a forwarding app",
      steps:
        "Install an SMS forwarding app from Google Play (for example “SMS Forwarder”).\nAdd a rule: messages from {{provider}} (or containing “code”).\nForward them to {{target}}.\nAllow the app to read SMS and to run in the background.",
    },
    gmail: {
      title: "Gmail",
      steps:
        "In Gmail on a computer: Settings (gear) › See all settings › Forwarding and POP/IMAP › Add a forwarding address: {{target}}.\nConfirm it, then create a filter: From contains {{provider}} or Subject contains “code”.\nChoose Forward it to {{target}} and create the filter.",
    },
    outlook: {
      title: "Outlook",
      steps:
        "In Outlook: Settings › Mail › Rules › Add new rule.\nCondition: From {{provider}} (or Subject includes “code”).\nAction: Forward to {{target}}. Save.",
    },
    testHeading: "Forward any message now",
    testBody:
      "To check it works, forward any message (a text or an email, it doesn't need a code) to the address or number above. This page updates by itself.",
    testWord:
      "Texting from your phone? Put {{word}} in the message: others may be testing this number right now.",
    testUnclaimed:
      "A text reached the number while someone else was testing it too, so we couldn't tell it was yours. Send it again with {{word}} in it.",
    waiting: "Waiting for a message…",
    received: "Received ✓ Forwarding works.",
    address: "Forwarding address",
    addressLater: "{{company}} will send you the forwarding address for this connection.",
    copy: "Copy",
    copied: "Copied",
    colleague: "Someone else has the phone? Send these instructions to a colleague",
    mailSubject: "Please forward {{provider}} sign-in codes",
    mailBody:
      "Hello,\n\n{{company}} collects our {{provider}} bills automatically. {{provider}} sends a one-time code each time someone signs in. Please set up automatic forwarding of these codes (text messages or emails from {{provider}}) to: {{address}}\n\nThank you!",
    mailAddressLater: "the address {{company}} will send you",
    continue: "Continue",
    skip: "I'll do it later",
  },
  handoff: {
    offer: "The phone with the code is with someone else? Hand this sign-in to them",
    explain:
      "Send a colleague a link that opens this same sign-in on their device, so they can type the code there. This page continues by itself once the code is accepted.",
    name: "Your colleague's name",
    create: "Create the link",
    linkFor: "Send this link to {{name}}:",
    validity: "It works once, on one device, for 30 minutes.",
    handedTo: "{{name}} is entering the code… This page continues by itself once it is accepted.",
    welcome: "You were asked to enter a sign-in code",
    welcomeBody:
      "Someone connecting a utility account needs the one-time code the utility sent to you. Open the sign-in, then type the code into the utility's page.",
    start: "Open the sign-in",
    entering: "{{name}} is entering the code",
    enteringBody:
      "Type the code {{provider}} sent you into the page below. {{company}} is connecting this account; nobody sees your screen but you.",
    done: "Done ✓",
    doneBody: "The code was accepted. You can close this page.",
    ended: "This sign-in has ended",
    endedBody: "Ask the person who sent you the link to start again if a code is still needed.",
    unusable: "This link can't be used",
  },
  sites: {
    duplicateAddSites: "Add my sites to it",
    duplicateConnectAnyway: "Connect it again anyway",
    sitesRequired: "Pick at least one site.",
    typesRequired: "Pick at least one thing this account supplies.",
    heading: "Which buildings does this account cover?",
    intro: "Pick every site whose bills arrive on this account.",
    sites: "Sites",
    noSites: "{{company}} has not listed any sites yet. You can continue.",
    utilityTypes: "What does this account supply?",
    ownerEmail: "Email of the account holder (optional)",
    startDate: "Collect bills from (optional)",
    submit: "Connect my account",
    submitting: "Connecting…",
    electricity: "Electricity",
    gas: "Gas",
    water: "Water",
    district_heating: "District heating",
  },
  done: {
    next1Later:
      "We start collecting bills once {{company}} has set up collection for this utility. That can take a few days; you don't need to do anything.",
    bodyGeneric: "{{company}} now has access to your utility bills.",
    headingReconnect: "Your {{provider}} account is reconnected",
    headingReconnectGeneric: "Your utility account is reconnected",
    bodyReconnect: "{{company}} can collect your bills again.",
    heading: "Thanks for connecting your utility account!",
    body: "{{company}} now has access to your {{provider}} bills.",
    next: "What happens next",
    next1In: "Your first bills are already in: {{company}} can see them now.",
    next1None:
      "There are no bills on this account yet: new ones are collected as they arrive, and {{company}} sees them then.",
    next1: "We collect your first bills in the next few minutes.",
    next2: "Bills are then collected automatically; you don't need to do anything.",
    next3: "If your password changes, {{company}} will send you a new link.",
    close: "You can close this page.",
    back: "Back to {{company}}",
  },
  deadLink: {
    from: "This invitation came from {{company}}.",
    ask: "Ask for a new link",
    asked: "Done. If the sender can be reached, they now know you would like a new link.",
    connectedTitle: "You already connected this account",
    connectedBody:
      "You connected it for {{company}} on {{date}}. There is nothing more to do; you can close this page.",
  },
  notices: {
    NAVIGATION_BLOCKED: "This window only opens {{provider}}'s website.",
    DOWNLOAD_BLOCKED: "Downloads are not available in this window.",
    INPUT_FAILED: "That did not reach the page. Try again.",
    INVALID_MESSAGE: "That did not reach the page. Try again.",
    REPLACED: "This sign-in was opened in another window.",
  },
  apiErrors: {
    alreadyConnected:
      "This utility account is already connected. You can add your sites to the existing connection instead, or connect it again anyway.",
    tooManyHere:
      "Several secure browsers are already open from this network. Finish or close one, then try again.",
    fleetBusy:
      "All secure browsers are busy right now. Try again in a few minutes, or enter your details by hand.",
    liveUnavailable: "Live sign-in is not available right now. Enter your details by hand instead.",
    tooManyOnLink:
      "Several people are signing in with this link right now. Try again in a minute, or enter your details by hand.",
    sessionEnded: "Your session has ended. Open the link from your email again to continue.",
    verificationRequired: "Confirm your email address first: we sent you a link.",
    signInAlreadyUsed:
      "This sign-in has already been used to connect an account. Sign in again to connect another one.",
    connectionGone:
      "The connection this link was for no longer exists. Ask the sender for a new link.",
    verificationLinkUsed:
      "This verification link has expired or was already used. Go back to the invitation and ask for a new one.",
    loginEnded: "This sign-in session has ended. Start again.",
    code_RATE_LIMITED: "Too many tries in a short time. Wait a minute, then try again.",
  },
  fieldErrors: {
    email: "Enter a valid email address, like name@example.com.",
    ownerEmail: "Enter a valid email address, like name@example.com.",
    provider_name: "Enter the utility's name.",
    provider_url: "Enter the utility's website address.",
    credential_username: "Enter the username you use on the utility's website.",
    credential_password: "Enter the password.",
    collectionStartDate: "Enter a date, or leave it empty.",
  },
  errors: {
    INVITATION_EXPIRED: {
      title: "This link has expired",
      body: "Invitations are valid for a limited time. Ask the person who sent it for a new link.",
    },
    INVITATION_REVOKED: {
      title: "This link was cancelled",
      body: "The sender cancelled this invitation. If you still need to connect an account, ask them for a new link.",
    },
    INVITATION_FULFILLED: {
      title: "This link has already been used",
      body: "Your account may already be connected. If you still need to connect one, ask the sender for a new link.",
    },
    INVITATION_INVALID: {
      title: "This link is not valid",
      body: "Check that you opened the whole link from your email (long links sometimes break across lines), or ask the sender for a new one.",
    },
    network: {
      title: "We can't reach the server",
      body: "Check your internet connection, then try again.",
    },
    unknown: {
      title: "Something went wrong",
      body: "Please try again in a moment. If it keeps happening, contact the person who sent you the link.",
    },
  },
};

type TDeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : TDeepStrings<T[K]> };
export type TRecipientStrings = TDeepStrings<typeof en>;
