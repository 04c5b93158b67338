import type { TRecipientStrings } from "./en";

export const de: TRecipientStrings = {
  meta: {
    titleNeutral: "Versorgerkonto verbinden",
    title: "{{company}} · Versorgerkonto verbinden",
    language: "Sprache",
    poweredBy: "Gesichert durch Meterlink",
  },
  progress: {
    label: "Fortschritt",
    stepOf: "Schritt {{current}} von {{total}}",
    consent: "Willkommen",
    verify: "Ihre E-Mail",
    provider: "Versorger",
    "sign-in": "Anmelden",
    sites: "Standorte",
    done: "Fertig",
  },
  common: {
    continue: "Weiter",
    back: "Zurück",
    retry: "Erneut versuchen",
    loading: "Wird geladen…",
    working: "Einen Moment…",
    required: "Pflichtfeld",
  },
  consent: {
    headingReconnectNamed: "{{company}} bittet Sie, Ihr Konto bei {{provider}} erneut zu verbinden",
    reconnectReason: "Grund: {{reason}}",
    heading: "{{company}} bittet Sie, ein Versorgerkonto zu verbinden",
    headingReconnect: "{{company}} bittet Sie, ein Versorgerkonto erneut zu verbinden",
    intro:
      "{{company}} ruft die Rechnungen der verwalteten Gebäude automatisch ab – niemand muss ein Passwort per E-Mail schicken oder PDFs von Hand herunterladen.",
    messageFrom: "Nachricht von {{company}}",
    whatHappens: "So läuft es ab",
    step1:
      "Sie wählen Ihren Versorger und melden sich auf dessen eigener Website an, die hier in einem sicheren Remote-Browser angezeigt wird.",
    step2: "Sie geben an, welche Gebäude das Konto abdeckt.",
    step3: "Fertig: {{company}} erhält ab jetzt Ihre Rechnungen.",
    duration: "Das dauert etwa 2 bis 3 Minuten.",
    safetyHeading: "Ihr Passwort bleibt privat",
    safety1:
      "Sie geben Ihr Passwort auf der Website Ihres Versorgers ein. Niemand bei {{company}} sieht es.",
    safety2:
      "Es wird verschlüsselt gespeichert und nur für den automatischen Rechnungsabruf verwendet.",
    safety3:
      "{{company}} darf diesen Zugang nur nutzen, um Rechnungen und Verbrauchsdaten seiner Gebäude abzurufen. Sie können jederzeit verlangen, dass er gelöscht wird.",
    expires: "Diese Einladung ist gültig bis {{date}}.",
    checkbox:
      "Ich bin einverstanden, {{company}} für den Rechnungsabruf Zugang zu meinem Versorgerkonto zu geben.",
    mustAgree: "Setzen Sie das Häkchen, um fortzufahren.",
    start: "Los geht's",
  },
  verify: {
    heading: "Bestätigen Sie Ihre E-Mail-Adresse",
    intro:
      "Diese Einladung gilt nur für bestimmte Personen. Geben Sie Ihre E-Mail-Adresse ein, und wir senden Ihnen einen Link.",
    email: "E-Mail-Adresse",
    send: "Link senden",
    sent: "Sehen Sie in Ihr Postfach",
    sentBody:
      "Wenn {{email}} diese Einladung nutzen darf, haben wir einen Link dorthin gesendet. Öffnen Sie ihn auf dem Gerät, auf dem Sie weitermachen möchten: Die Einladung geht dort weiter, wo der Link sich öffnet.",
    waiting: "Warten auf den Klick auf den Link…",
    resend: "Andere Adresse verwenden",
    verifying: "Ihre E-Mail-Adresse wird bestätigt…",
    failed: "Wir konnten Ihre E-Mail-Adresse nicht bestätigen",
    backToInvitation: "Zurück zur Einladung",
  },
  elsewhere: {
    heading: "Sie haben im anderen Tab weitergemacht",
    body: "Ihre E-Mail-Adresse ist bestätigt, und die Einladung geht in dem Tab weiter, den der Link geöffnet hat. Diesen Tab können Sie schließen.",
    here: "Stattdessen hier weitermachen",
  },
  provider: {
    generic: "Ihr Versorger",
    heading: "Welchen Versorger möchten Sie verbinden?",
    country: "Land",
    anyCountry: "Alle Länder",
    search: "Name oder Website des Versorgers",
    searchHint: "Zum Beispiel „Northwind“ oder „northwind.com“.",
    results: "Versorger",
    none: "Kein Versorger gefunden. Prüfen Sie die Schreibweise oder wählen Sie ein anderes Land.",
    notListed: "Mein Versorger ist nicht aufgeführt",
    prefilled: "{{company}} bittet Sie, diesen Versorger zu verbinden:",
    change: "Anderen Versorger wählen",
    mfaHint: "Verwendet einen Einmalcode",
    manualHeading: "Erzählen Sie uns von Ihrem Versorger",
    manualName: "Name des Versorgers",
    manualUrl: "Website (optional)",
    manualNameError: "Geben Sie den Namen des Versorgers ein.",
    manualUrlError: "Geben Sie die Website-Adresse ein, beginnend mit https://.",
    notListedWebsite: "Mein Versorger ist nicht aufgeführt — Website eingeben",
    manualIntro:
      "Geben Sie die Website-Adresse ein, um sich auf der Website des Versorgers anzumelden, oder nur den Namen, um Ihre Zugangsdaten hier einzugeben.",
    manualWebsite: "Website-Adresse",
    manualWebsiteHint: "Zum Beispiel https://www.riverside-power.com",
    manualNameHint: "Optional, wenn Sie die Website eingeben.",
    checking: "Adresse wird geprüft…",
  },
  signIn: {
    unlistedIntro:
      "Das ist {{domain}}, die Website, die Sie eingegeben haben, in einem sicheren Remote-Browser, der nur Seiten von {{domain}} öffnet. Melden Sie sich wie gewohnt an, auch mit einem zugesandten Code.",
    queued:
      "Alle sicheren Browser sind belegt. Sie sind auf Platz {{position}}; es startet von selbst.",
    heading: "Bei {{provider}} anmelden",
    intro:
      "Dies ist die echte Website von {{provider}} in einem sicheren Remote-Browser. Melden Sie sich wie gewohnt an, auch mit einem zugesandten Code.",
    switchManual: "Anmeldung klappt hier nicht? Zugangsdaten stattdessen eingeben",
    switchLive: "Stattdessen auf der Website des Versorgers anmelden",
    starting: "Sicherer Browser wird gestartet…",
    reconnecting: "Verbindung unterbrochen. Neuer Verbindungsversuch…",
    ended: "Diese Browsersitzung ist beendet.",
    replaced: "Diese Anmeldung geht in einem anderen Fenster von Ihnen weiter.",
    workerLost: "Der sichere Browser wurde beendet. Starten Sie neu: Das dauert nur Sekunden.",
    queueSoon: "Sie sollten in weniger als einer Minute an der Reihe sein.",
    queueMinutes: "Sie sollten in etwa {{count}} Min. an der Reihe sein.",
    restart: "Neu starten",
    back: "Zurück",
    reload: "Neu laden",
    address: "Adresse der angezeigten Seite",
    secure: "Sichere Verbindung",
    notSecure: "Nicht sicher",
    canvasLabel:
      "Remote-Browser mit {{provider}}. Klicken Sie hinein, um ihn zu bedienen, und tippen Sie auf Ihrer Tastatur.",
    failure:
      "Die Website hat das nicht akzeptiert. Prüfen Sie Ihre Angaben und versuchen Sie es erneut.",
    failureAgain:
      "Wieder nicht akzeptiert (Versuch {{count}}). Prüfen Sie jedes Zeichen; viele Websites sperren das Konto nach wenigen Versuchen.",
    locked:
      "{{provider}} meldet, dass dieses Konto vorerst gesperrt ist. Versuchen Sie es hier nicht weiter: Warten Sie oder entsperren Sie es auf der Website von {{provider}} oder telefonisch und beginnen Sie neu – oder geben Sie Ihre Daten von Hand ein.",
    mfa: "Geben Sie den Code ein, den {{provider}} Ihnen gesendet hat.",
    unsure: "Sind Sie angemeldet?",
    unsureBody: "Wir können noch nicht erkennen, ob die Anmeldung geklappt hat.",
    yesSignedIn: "Ja, ich bin angemeldet",
    notYet: "Noch nicht",
    success: "Angemeldet. Einen Moment…",
    unavailable:
      "Der sichere Browser ist gerade nicht verfügbar. Geben Sie Ihre Zugangsdaten stattdessen ein.",
    fleetBusyHeading: "Alle sicheren Browser sind belegt",
    fleetBusy:
      "Gerade melden sich zu viele Personen an. Warten Sie eine Minute und versuchen Sie es erneut, oder geben Sie Ihre Zugangsdaten ein.",
    dialogOk: "OK",
    dialogCancel: "Abbrechen",
    dialogFrom: "Die Website meldet",
  },
  manual: {
    headingGeneric: "Ihre Zugangsdaten für Ihren Versorger",
    heading: "Ihre Zugangsdaten für {{provider}}",
    intro:
      "Ihre Angaben werden verschlüsselt übertragen und verschlüsselt gespeichert. Niemand bei {{company}} kann sie lesen.",
    username: "Benutzername oder E-Mail",
    password: "Passwort",
    showPassword: "Passwort anzeigen",
    notes: "Hinweise (optional)",
    notesHint: "Alles, was bei der Anmeldung hilft, etwa eine Kundennummer.",
    usernameError: "Geben Sie den Benutzernamen der Versorger-Website ein.",
    passwordError: "Geben Sie das Passwort ein.",
  },
  mfa: {
    heading: "Noch etwas: Anmeldecodes",
    intro:
      "{{provider}} sendet bei jeder Anmeldung einen Einmalcode. Damit wir Ihre Rechnungen jede Woche abrufen können, ohne Sie zu fragen, müssen diese Codes automatisch bei uns ankommen.",
    how: "So leiten Sie die Codes weiter",
    number: "Weiterleitungsnummer (SMS)",
    iphone: {
      title: "iPhone: Kurzbefehle-Automation",
      steps:
        "Öffnen Sie die App Kurzbefehle, tippen Sie auf Automation, dann Neue Automation (+).\nWählen Sie Nachricht, Absender: {{provider}} (oder Nachricht enthält: Code), dann Sofort ausführen.\nFügen Sie die Aktion Nachricht senden hinzu: die Kurzbefehl-Eingabe als Nachricht, an {{target}}.\nTippen Sie auf Fertig. SMS von {{provider}} werden nun sofort weitergeleitet.",
    },
    android: {
      title: "Android: eine Weiterleitungs-App",
      steps:
        "Installieren Sie eine SMS-Weiterleitungs-App aus Google Play (z. B. „SMS Forwarder“).\nLegen Sie eine Regel an: Nachrichten von {{provider}} (oder mit „Code“).\nLeiten Sie sie an {{target}} weiter.\nErlauben Sie der App, SMS zu lesen und im Hintergrund zu laufen.",
    },
    gmail: {
      title: "Gmail",
      steps:
        "In Gmail am Computer: Einstellungen (Zahnrad) › Alle Einstellungen › Weiterleitung und POP/IMAP › Weiterleitungsadresse hinzufügen: {{target}}.\nBestätigen Sie sie und erstellen Sie einen Filter: Von enthält {{provider}} oder Betreff enthält „Code“.\nWählen Sie Weiterleiten an {{target}} und erstellen Sie den Filter.",
    },
    outlook: {
      title: "Outlook",
      steps:
        "In Outlook: Einstellungen › E-Mail › Regeln › Neue Regel hinzufügen.\nBedingung: Von {{provider}} (oder Betreff enthält „Code“).\nAktion: Weiterleiten an {{target}}. Speichern.",
    },
    testHeading: "Leiten Sie jetzt eine beliebige Nachricht weiter",
    testBody:
      "Zum Prüfen leiten Sie eine beliebige Nachricht (SMS oder E-Mail, ein Code ist nicht nötig) an die Adresse oder Nummer oben weiter. Diese Seite aktualisiert sich von selbst.",
    testWord:
      "Sie schreiben selbst eine SMS? Setzen Sie {{word}} in die Nachricht: andere testen diese Nummer vielleicht gerade auch.",
    testUnclaimed:
      "Eine SMS kam an, während auch jemand anderes die Nummer getestet hat, daher wissen wir nicht, ob sie von Ihnen war. Senden Sie sie erneut mit {{word}} darin.",
    waiting: "Warte auf eine Nachricht…",
    received: "Empfangen ✓ Die Weiterleitung funktioniert.",
    address: "Weiterleitungsadresse",
    addressLater: "{{company}} teilt Ihnen die Weiterleitungsadresse dieser Verbindung mit.",
    copy: "Kopieren",
    copied: "Kopiert",
    colleague:
      "Jemand anderes hat das Telefon? Anleitung an eine Kollegin oder einen Kollegen senden",
    mailSubject: "Bitte Anmeldecodes von {{provider}} weiterleiten",
    mailBody:
      "Hallo,\n\n{{company}} ruft unsere Rechnungen von {{provider}} automatisch ab. {{provider}} sendet bei jeder Anmeldung einen Einmalcode. Bitte richte die automatische Weiterleitung dieser Codes (SMS oder E-Mails von {{provider}}) an folgende Adresse ein: {{address}}\n\nDanke!",
    mailAddressLater: "die Adresse, die {{company}} dir mitteilt",
    continue: "Weiter",
    skip: "Später erledigen",
  },
  handoff: {
    offer: "Das Telefon mit dem Code hat jemand anderes? Übergeben Sie diese Anmeldung",
    explain:
      "Senden Sie einer Kollegin oder einem Kollegen einen Link, der diese Anmeldung auf deren Gerät öffnet, um dort den Code einzugeben. Diese Seite geht von selbst weiter, sobald der Code akzeptiert ist.",
    name: "Name der Person",
    create: "Link erstellen",
    linkFor: "Senden Sie diesen Link an {{name}}:",
    validity: "Er funktioniert einmal, auf einem Gerät, 30 Minuten lang.",
    handedTo:
      "{{name}} gibt den Code ein… Diese Seite geht von selbst weiter, sobald er akzeptiert ist.",
    welcome: "Sie wurden gebeten, einen Anmeldecode einzugeben",
    welcomeBody:
      "Jemand verbindet ein Versorgerkonto und braucht den Einmalcode, den der Versorger Ihnen gesendet hat. Öffnen Sie die Anmeldung und geben Sie den Code auf der Seite des Versorgers ein.",
    start: "Anmeldung öffnen",
    entering: "{{name}} gibt den Code ein",
    enteringBody:
      "Geben Sie den Code, den {{provider}} Ihnen gesendet hat, auf der Seite unten ein. {{company}} verbindet dieses Konto; Ihren Bildschirm sehen nur Sie.",
    done: "Fertig ✓",
    doneBody: "Der Code wurde akzeptiert. Sie können diese Seite schließen.",
    ended: "Diese Anmeldung ist beendet",
    endedBody:
      "Bitten Sie die Person, die Ihnen den Link gesendet hat, neu zu beginnen, falls noch ein Code nötig ist.",
    unusable: "Dieser Link kann nicht verwendet werden",
  },
  sites: {
    duplicateAddSites: "Meine Standorte hinzufügen",
    duplicateConnectAnyway: "Trotzdem erneut verbinden",
    sitesRequired: "Wählen Sie mindestens einen Standort.",
    typesRequired: "Wählen Sie mindestens eine Leistung dieses Kontos.",
    heading: "Welche Gebäude deckt dieses Konto ab?",
    intro: "Wählen Sie jeden Standort, dessen Rechnungen über dieses Konto laufen.",
    sites: "Standorte",
    noSites: "{{company}} hat noch keine Standorte angelegt. Sie können fortfahren.",
    utilityTypes: "Was liefert dieses Konto?",
    ownerEmail: "E-Mail des Kontoinhabers (optional)",
    startDate: "Rechnungen abrufen ab (optional)",
    submit: "Konto verbinden",
    submitting: "Wird verbunden…",
    electricity: "Strom",
    gas: "Gas",
    water: "Wasser",
    district_heating: "Fernwärme",
  },
  done: {
    next1Later:
      "Wir rufen Rechnungen ab, sobald {{company}} den Abruf für diesen Versorger eingerichtet hat. Das kann einige Tage dauern; Sie müssen nichts tun.",
    bodyGeneric: "{{company}} hat jetzt Zugriff auf die Rechnungen Ihres Versorgers.",
    headingReconnect: "Ihr Konto bei {{provider}} ist wieder verbunden",
    headingReconnectGeneric: "Ihr Versorgerkonto ist wieder verbunden",
    bodyReconnect: "{{company}} kann Ihre Rechnungen wieder abrufen.",
    heading: "Danke, dass Sie Ihr Versorgerkonto verbunden haben!",
    body: "{{company}} hat jetzt Zugriff auf Ihre Rechnungen von {{provider}}.",
    next: "Wie es weitergeht",
    next1In: "Ihre ersten Rechnungen sind schon da: {{company}} sieht sie ab sofort.",
    next1None:
      "Auf diesem Konto gibt es noch keine Rechnungen: Neue werden abgerufen, sobald sie da sind, und {{company}} sieht sie dann.",
    next1: "Wir rufen Ihre ersten Rechnungen in den nächsten Minuten ab.",
    next2: "Danach werden Rechnungen automatisch abgerufen; Sie müssen nichts tun.",
    next3: "Wenn sich Ihr Passwort ändert, sendet {{company}} Ihnen einen neuen Link.",
    close: "Sie können diese Seite schließen.",
    back: "Zurück zu {{company}}",
  },
  deadLink: {
    from: "Diese Einladung kam von {{company}}.",
    ask: "Neuen Link anfordern",
    asked:
      "Erledigt. Wenn der Absender erreichbar ist, weiß er jetzt, dass Sie einen neuen Link möchten.",
    connectedTitle: "Sie haben dieses Konto bereits verbunden",
    connectedBody:
      "Sie haben es am {{date}} für {{company}} verbunden. Es ist nichts weiter zu tun; Sie können diese Seite schließen.",
  },
  notices: {
    NAVIGATION_BLOCKED: "Dieses Fenster öffnet nur die Website von {{provider}}.",
    DOWNLOAD_BLOCKED: "Downloads sind in diesem Fenster nicht möglich.",
    INPUT_FAILED: "Das hat die Seite nicht erreicht. Versuchen Sie es erneut.",
    INVALID_MESSAGE: "Das hat die Seite nicht erreicht. Versuchen Sie es erneut.",
    REPLACED: "Diese Anmeldung wurde in einem anderen Fenster geöffnet.",
  },
  apiErrors: {
    alreadyConnected:
      "Dieses Versorgerkonto ist bereits verbunden. Sie können Ihre Standorte stattdessen der bestehenden Verbindung hinzufügen oder es trotzdem erneut verbinden.",
    tooManyHere:
      "In diesem Netzwerk sind bereits mehrere sichere Browser geöffnet. Beenden oder schließen Sie einen und versuchen Sie es dann erneut.",
    fleetBusy:
      "Alle sicheren Browser sind gerade belegt. Versuchen Sie es in ein paar Minuten erneut oder geben Sie Ihre Zugangsdaten von Hand ein.",
    liveUnavailable:
      "Die Live-Anmeldung ist gerade nicht verfügbar. Geben Sie Ihre Zugangsdaten stattdessen von Hand ein.",
    tooManyOnLink:
      "Gerade melden sich mehrere Personen mit diesem Link an. Versuchen Sie es in einer Minute erneut oder geben Sie Ihre Zugangsdaten von Hand ein.",
    sessionEnded:
      "Ihre Sitzung ist beendet. Öffnen Sie den Link aus Ihrer E-Mail erneut, um fortzufahren.",
    verificationRequired:
      "Bestätigen Sie zuerst Ihre E-Mail-Adresse: Wir haben Ihnen einen Link gesendet.",
    signInAlreadyUsed:
      "Diese Anmeldung wurde bereits für ein Konto verwendet. Melden Sie sich erneut an, um ein weiteres zu verbinden.",
    connectionGone:
      "Die Verbindung, für die dieser Link war, existiert nicht mehr. Bitten Sie den Absender um einen neuen Link.",
    verificationLinkUsed:
      "Dieser Bestätigungslink ist abgelaufen oder wurde schon verwendet. Gehen Sie zurück zur Einladung und fordern Sie einen neuen an.",
    loginEnded: "Diese Anmeldesitzung ist beendet. Beginnen Sie erneut.",
    code_RATE_LIMITED:
      "Zu viele Versuche in kurzer Zeit. Warten Sie eine Minute und versuchen Sie es dann erneut.",
  },
  fieldErrors: {
    email: "Geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.",
    ownerEmail: "Geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.",
    provider_name: "Geben Sie den Namen des Versorgers ein.",
    provider_url: "Geben Sie die Website-Adresse des Versorgers ein.",
    credential_username:
      "Geben Sie den Benutzernamen ein, den Sie auf der Website des Versorgers verwenden.",
    credential_password: "Geben Sie das Passwort ein.",
    collectionStartDate: "Geben Sie ein Datum ein oder lassen Sie das Feld leer.",
  },
  errors: {
    INVITATION_EXPIRED: {
      title: "Dieser Link ist abgelaufen",
      body: "Einladungen sind nur begrenzt gültig. Bitten Sie die Person, die ihn gesendet hat, um einen neuen Link.",
    },
    INVITATION_REVOKED: {
      title: "Dieser Link wurde widerrufen",
      body: "Der Absender hat diese Einladung widerrufen. Wenn Sie noch ein Konto verbinden müssen, bitten Sie um einen neuen Link.",
    },
    INVITATION_FULFILLED: {
      title: "Dieser Link wurde bereits verwendet",
      body: "Ihr Konto ist vielleicht schon verbunden. Wenn Sie noch eines verbinden müssen, bitten Sie den Absender um einen neuen Link.",
    },
    INVITATION_INVALID: {
      title: "Dieser Link ist ungültig",
      body: "Prüfen Sie, ob Sie den vollständigen Link aus Ihrer E-Mail geöffnet haben (lange Links werden manchmal umbrochen), oder bitten Sie um einen neuen.",
    },
    network: {
      title: "Der Server ist nicht erreichbar",
      body: "Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.",
    },
    unknown: {
      title: "Etwas ist schiefgelaufen",
      body: "Bitte versuchen Sie es gleich noch einmal. Wenn es weiter passiert, wenden Sie sich an die Person, die Ihnen den Link gesendet hat.",
    },
  },
};
