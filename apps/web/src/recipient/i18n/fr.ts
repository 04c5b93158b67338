import type { TRecipientStrings } from "./en";

export const fr: TRecipientStrings = {
  meta: {
    titleNeutral: "Connecter votre compte fournisseur",
    title: "{{company}} · Connectez votre compte fournisseur",
    language: "Langue",
    poweredBy: "Sécurisé par Meterlink",
  },
  progress: {
    label: "Progression",
    stepOf: "Étape {{current}} sur {{total}}",
    consent: "Bienvenue",
    verify: "Votre e-mail",
    provider: "Fournisseur",
    "sign-in": "Connexion",
    sites: "Sites",
    done: "Terminé",
  },
  common: {
    continue: "Continuer",
    back: "Retour",
    retry: "Réessayer",
    loading: "Chargement…",
    working: "Un instant…",
    required: "obligatoire",
  },
  consent: {
    headingReconnectNamed: "{{company}} vous demande de reconnecter votre compte {{provider}}",
    reconnectReason: "Pourquoi : {{reason}}",
    heading: "{{company}} vous demande de connecter un compte fournisseur",
    headingReconnect: "{{company}} vous demande de reconnecter un compte fournisseur",
    intro:
      "{{company}} récupère automatiquement les factures des bâtiments qu'elle gère : plus besoin d'envoyer un mot de passe par e-mail ni de télécharger des PDF à la main.",
    messageFrom: "Message de {{company}}",
    whatHappens: "Comment ça se passe",
    step1:
      "Vous choisissez votre fournisseur et vous vous connectez sur son propre site, affiché ici dans un navigateur distant sécurisé.",
    step2: "Vous indiquez les bâtiments couverts par ce compte.",
    step3: "C'est tout : {{company}} reçoit désormais vos factures.",
    duration: "Cela prend 2 à 3 minutes environ.",
    safetyHeading: "Votre mot de passe reste privé",
    safety1:
      "Vous saisissez votre mot de passe sur le site de votre fournisseur. Personne chez {{company}} ne le voit.",
    safety2:
      "Il est stocké chiffré et utilisé uniquement par la collecte automatique des factures.",
    safety3:
      "{{company}} ne peut utiliser cet accès que pour collecter les factures et les consommations de ses bâtiments. Vous pouvez lui demander de le supprimer à tout moment.",
    expires: "Cette invitation est valable jusqu'au {{date}}.",
    checkbox:
      "J'accepte de partager l'accès à mon compte fournisseur avec {{company}} pour la collecte des factures.",
    mustAgree: "Cochez la case pour continuer.",
    start: "Commencer",
  },
  verify: {
    heading: "Confirmez votre adresse e-mail",
    intro:
      "Cette invitation est réservée à certaines personnes. Saisissez votre adresse e-mail et nous vous enverrons un lien.",
    email: "Adresse e-mail",
    send: "M'envoyer un lien",
    sent: "Consultez votre boîte de réception",
    sentBody:
      "Si {{email}} peut utiliser cette invitation, nous lui avons envoyé un lien. Ouvrez-le sur l'appareil où vous voulez continuer : l'invitation reprend là où le lien s'ouvre.",
    waiting: "En attente du clic sur le lien…",
    resend: "Utiliser une autre adresse",
    verifying: "Confirmation de votre adresse e-mail…",
    failed: "Nous n'avons pas pu confirmer votre adresse e-mail",
    backToInvitation: "Retour à l'invitation",
  },
  elsewhere: {
    heading: "Vous avez continué dans l'autre onglet",
    body: "Votre adresse e-mail est confirmée et l'invitation se poursuit dans l'onglet ouvert par le lien. Vous pouvez fermer celui-ci.",
    here: "Continuer plutôt ici",
  },
  provider: {
    generic: "votre fournisseur",
    heading: "Quel fournisseur voulez-vous connecter ?",
    country: "Pays",
    anyCountry: "Tous les pays",
    search: "Nom ou site web du fournisseur",
    searchHint: "Par exemple « Northwind » ou « northwind.com ».",
    results: "Fournisseurs",
    none: "Aucun fournisseur ne correspond. Vérifiez l'orthographe ou choisissez un autre pays.",
    notListed: "Mon fournisseur n'est pas dans la liste",
    prefilled: "{{company}} vous demande de connecter ce fournisseur :",
    change: "Choisir un autre fournisseur",
    mfaHint: "Utilise un code à usage unique",
    manualHeading: "Présentez-nous votre fournisseur",
    manualName: "Nom du fournisseur",
    manualUrl: "Site web (facultatif)",
    manualNameError: "Saisissez le nom du fournisseur.",
    manualUrlError: "Saisissez l'adresse du site, commençant par https://.",
    // Le fournisseur n'est pas dans la liste : son adresse l'ouvre dans le navigateur sécurisé (#17).
    notListedWebsite: "Mon fournisseur n'est pas dans la liste — saisir son site web",
    manualIntro:
      "Saisissez l'adresse de son site pour vous connecter sur le site même du fournisseur, ou seulement son nom pour saisir vos identifiants ici.",
    manualWebsite: "Adresse du site web",
    manualWebsiteHint: "Par exemple https://www.riverside-power.com",
    manualNameHint: "Facultatif si vous saisissez le site web.",
    checking: "Vérification de l'adresse…",
  },
  signIn: {
    unlistedIntro:
      "Voici {{domain}}, le site que vous avez saisi, dans un navigateur distant sécurisé qui n'ouvre que des pages de {{domain}}. Connectez-vous comme d'habitude, y compris avec le code qu'il vous envoie.",
    queued:
      "Tous les navigateurs sécurisés sont occupés. Vous êtes en position {{position}} ; le démarrage sera automatique.",
    heading: "Connectez-vous à {{provider}}",
    intro:
      "Voici le vrai site de {{provider}}, dans un navigateur distant sécurisé. Connectez-vous comme d'habitude, y compris avec le code qu'il vous envoie.",
    switchManual: "Impossible de vous connecter ici ? Saisissez plutôt vos identifiants",
    switchLive: "Me connecter plutôt sur le site du fournisseur",
    starting: "Démarrage d'un navigateur sécurisé…",
    reconnecting: "Connexion perdue. Reconnexion…",
    ended: "Cette session de navigation est terminée.",
    replaced: "Cette connexion se poursuit dans une autre de vos fenêtres.",
    workerLost: "Le navigateur sécurisé s’est arrêté. Recommencez : cela prend quelques secondes.",
    queueSoon: "Votre tour devrait venir dans moins d’une minute.",
    queueMinutes: "Votre tour devrait venir dans environ {{count}} min.",
    restart: "Recommencer",
    back: "Page précédente",
    reload: "Actualiser",
    address: "Adresse de la page affichée",
    secure: "Connexion sécurisée",
    notSecure: "Non sécurisé",
    canvasLabel:
      "Navigateur distant affichant {{provider}}. Cliquez dedans pour l'utiliser et tapez au clavier.",
    failure: "Le site n'a pas accepté ces informations. Vérifiez-les et réessayez.",
    failureAgain:
      "Toujours refusé (essai {{count}}). Vérifiez chaque caractère : beaucoup de sites bloquent le compte après quelques essais.",
    locked:
      "{{provider}} indique que ce compte est bloqué pour le moment. N’insistez pas ici : attendez, ou débloquez-le sur le site de {{provider}} ou par téléphone, puis recommencez — ou saisissez vos informations à la main.",
    mfa: "Saisissez le code que {{provider}} vous a envoyé.",
    unsure: "Êtes-vous connecté ?",
    unsureBody: "Nous ne savons pas encore si la connexion a réussi.",
    yesSignedIn: "Oui, je suis connecté",
    notYet: "Pas encore",
    success: "Connecté. Un instant…",
    unavailable:
      "Le navigateur sécurisé n'est pas disponible pour le moment. Saisissez plutôt vos identifiants.",
    fleetBusyHeading: "Tous les navigateurs sécurisés sont occupés",
    fleetBusy:
      "Trop de personnes se connectent en ce moment. Patientez une minute et réessayez, ou saisissez plutôt vos identifiants.",
    dialogOk: "OK",
    dialogCancel: "Annuler",
    dialogFrom: "Le site indique",
  },
  manual: {
    headingGeneric: "Saisissez les identifiants de votre fournisseur",
    heading: "Saisissez vos identifiants {{provider}}",
    intro:
      "Vos identifiants transitent par une connexion chiffrée et sont stockés chiffrés. Personne chez {{company}} ne peut les lire.",
    username: "Identifiant ou e-mail",
    password: "Mot de passe",
    showPassword: "Afficher le mot de passe",
    notes: "Remarques (facultatif)",
    notesHint:
      "Tout ce qui aide à se connecter, comme un numéro de client ou un indice de question secrète.",
    usernameError: "Saisissez l'identifiant utilisé sur le site du fournisseur.",
    passwordError: "Saisissez le mot de passe.",
  },
  mfa: {
    heading: "Dernière chose : les codes de connexion",
    intro:
      "{{provider}} envoie un code à usage unique à chaque connexion. Pour collecter vos factures chaque semaine sans vous solliciter, ces codes doivent nous parvenir automatiquement.",
    how: "Comment transférer les codes",
    number: "Numéro de transfert (SMS)",
    iphone: {
      title: "iPhone : automatisation Raccourcis",
      steps:
        "Ouvrez l'app Raccourcis, touchez Automatisation, puis Nouvelle automatisation (+).\nChoisissez Message, Expéditeur : {{provider}} (ou Le message contient : code), puis Exécuter immédiatement.\nAjoutez l'action Envoyer un message : l'entrée du raccourci comme message, à {{target}}.\nTouchez OK. Les SMS de {{provider}} sont désormais transférés dès leur arrivée.",
    },
    android: {
      title: "Android : une application de transfert",
      steps:
        "Installez une application de transfert de SMS depuis Google Play (par exemple « SMS Forwarder »).\nAjoutez une règle : messages de {{provider}} (ou contenant « code »).\nTransférez-les vers {{target}}.\nAutorisez l'application à lire les SMS et à fonctionner en arrière-plan.",
    },
    gmail: {
      title: "Gmail",
      steps:
        "Dans Gmail sur ordinateur : Paramètres (roue) › Voir tous les paramètres › Transfert et POP/IMAP › Ajouter une adresse de transfert : {{target}}.\nConfirmez-la, puis créez un filtre : De contient {{provider}} ou Objet contient « code ».\nChoisissez Transférer à {{target}} et créez le filtre.",
    },
    outlook: {
      title: "Outlook",
      steps:
        "Dans Outlook : Paramètres › Courrier › Règles › Ajouter une nouvelle règle.\nCondition : De {{provider}} (ou l'objet contient « code »).\nAction : Transférer à {{target}}. Enregistrez.",
    },
    testHeading: "Transférez un message maintenant",
    testBody:
      "Pour vérifier que cela fonctionne, transférez n'importe quel message (SMS ou e-mail, sans besoin de code) à l'adresse ou au numéro ci-dessus. Cette page se met à jour toute seule.",
    testWord:
      "Vous envoyez le SMS vous-même ? Mettez {{word}} dans le message : d'autres personnes testent peut-être ce numéro en ce moment.",
    testUnclaimed:
      "Un SMS est arrivé pendant que quelqu'un d'autre testait aussi ce numéro : impossible de savoir s'il venait de vous. Renvoyez-le avec {{word}} dedans.",
    waiting: "En attente d'un message…",
    received: "Reçu ✓ Le transfert fonctionne.",
    address: "Adresse de transfert",
    addressLater: "{{company}} vous communiquera l'adresse de transfert de cette connexion.",
    copy: "Copier",
    copied: "Copié",
    colleague: "Quelqu'un d'autre a le téléphone ? Envoyez ces instructions à un collègue",
    mailSubject: "Merci de transférer les codes de connexion {{provider}}",
    mailBody:
      "Bonjour,\n\n{{company}} collecte automatiquement nos factures {{provider}}. {{provider}} envoie un code à usage unique à chaque connexion. Merci de configurer le transfert automatique de ces codes (SMS ou e-mails de {{provider}}) vers : {{address}}\n\nMerci !",
    mailAddressLater: "l'adresse que {{company}} vous communiquera",
    continue: "Continuer",
    skip: "Je le ferai plus tard",
  },
  handoff: {
    offer:
      "Le téléphone qui reçoit le code est chez quelqu'un d'autre ? Confiez-lui cette connexion",
    explain:
      "Envoyez à un collègue un lien qui ouvre cette même connexion sur son appareil pour qu'il y saisisse le code. Cette page continue toute seule dès que le code est accepté.",
    name: "Nom de votre collègue",
    create: "Créer le lien",
    linkFor: "Envoyez ce lien à {{name}} :",
    validity: "Il fonctionne une fois, sur un seul appareil, pendant 30 minutes.",
    handedTo: "{{name}} saisit le code… Cette page continue toute seule dès qu'il est accepté.",
    welcome: "On vous demande de saisir un code de connexion",
    welcomeBody:
      "Une personne qui connecte un compte fournisseur a besoin du code à usage unique que le fournisseur vous a envoyé. Ouvrez la connexion, puis saisissez le code dans la page du fournisseur.",
    start: "Ouvrir la connexion",
    entering: "{{name}} saisit le code",
    enteringBody:
      "Saisissez dans la page ci-dessous le code envoyé par {{provider}}. {{company}} connecte ce compte ; vous seul voyez votre écran.",
    done: "Terminé ✓",
    doneBody: "Le code a été accepté. Vous pouvez fermer cette page.",
    ended: "Cette connexion est terminée",
    endedBody:
      "Demandez à la personne qui vous a envoyé le lien de recommencer si un code est encore nécessaire.",
    unusable: "Ce lien ne peut pas être utilisé",
  },
  sites: {
    duplicateAddSites: "Ajouter mes sites à ce compte",
    duplicateConnectAnyway: "Le connecter quand même",
    sitesRequired: "Choisissez au moins un site.",
    typesRequired: "Choisissez au moins une énergie fournie par ce compte.",
    heading: "Quels bâtiments ce compte couvre-t-il ?",
    intro: "Sélectionnez chaque site dont les factures arrivent sur ce compte.",
    sites: "Sites",
    noSites: "{{company}} n'a encore enregistré aucun site. Vous pouvez continuer.",
    utilityTypes: "Que fournit ce compte ?",
    ownerEmail: "E-mail du titulaire du compte (facultatif)",
    startDate: "Collecter les factures à partir du (facultatif)",
    submit: "Connecter mon compte",
    submitting: "Connexion…",
    electricity: "Électricité",
    gas: "Gaz",
    water: "Eau",
    district_heating: "Chauffage urbain",
  },
  done: {
    next1Later:
      "Nous commençons à récupérer les factures dès que {{company}} a mis en place la collecte pour ce fournisseur. Cela peut prendre quelques jours ; vous n'avez rien à faire.",
    bodyGeneric: "{{company}} a désormais accès aux factures de votre fournisseur.",
    headingReconnect: "Votre compte {{provider}} est reconnecté",
    headingReconnectGeneric: "Votre compte fournisseur est reconnecté",
    bodyReconnect: "{{company}} peut de nouveau récupérer vos factures.",
    heading: "Merci d'avoir connecté votre compte fournisseur !",
    body: "{{company}} a désormais accès à vos factures {{provider}}.",
    next: "Et maintenant",
    next1In: "Vos premières factures sont déjà là : {{company}} peut les voir dès maintenant.",
    next1None:
      "Il n'y a pas encore de factures sur ce compte : les nouvelles sont récupérées dès leur arrivée, et {{company}} les voit alors.",
    next1: "Nous récupérons vos premières factures dans les prochaines minutes.",
    next2: "Les factures sont ensuite collectées automatiquement : vous n'avez rien à faire.",
    next3: "Si votre mot de passe change, {{company}} vous enverra un nouveau lien.",
    close: "Vous pouvez fermer cette page.",
    back: "Retour à {{company}}",
  },
  deadLink: {
    from: "Cette invitation vient de {{company}}.",
    ask: "Demander un nouveau lien",
    asked:
      "C'est fait. Si l'expéditeur peut être joint, il sait maintenant que vous souhaitez un nouveau lien.",
    connectedTitle: "Vous avez déjà connecté ce compte",
    connectedBody:
      "Vous l'avez connecté pour {{company}} le {{date}}. Il n'y a plus rien à faire ; vous pouvez fermer cette page.",
  },
  notices: {
    NAVIGATION_BLOCKED: "Cette fenêtre n'ouvre que le site de {{provider}}.",
    DOWNLOAD_BLOCKED: "Les téléchargements ne sont pas disponibles dans cette fenêtre.",
    INPUT_FAILED: "Cette action n'a pas atteint la page. Réessayez.",
    INVALID_MESSAGE: "Cette action n'a pas atteint la page. Réessayez.",
    REPLACED: "Cette connexion a été ouverte dans une autre fenêtre.",
  },
  apiErrors: {
    alreadyConnected:
      "Ce compte est déjà connecté. Vous pouvez plutôt ajouter vos sites à la connexion existante, ou le connecter quand même une seconde fois.",
    tooManyHere:
      "Plusieurs navigateurs sécurisés sont déjà ouverts depuis ce réseau. Terminez-en ou fermez-en un, puis réessayez.",
    fleetBusy:
      "Tous les navigateurs sécurisés sont occupés pour le moment. Réessayez dans quelques minutes ou saisissez vos identifiants à la main.",
    liveUnavailable:
      "La connexion en direct n'est pas disponible pour le moment. Saisissez plutôt vos identifiants à la main.",
    tooManyOnLink:
      "Plusieurs personnes se connectent avec ce lien en ce moment. Réessayez dans une minute ou saisissez vos identifiants à la main.",
    sessionEnded: "Votre session a pris fin. Rouvrez le lien de votre e-mail pour continuer.",
    verificationRequired:
      "Confirmez d'abord votre adresse e-mail : nous vous avons envoyé un lien.",
    signInAlreadyUsed:
      "Cette connexion a déjà servi à connecter un compte. Reconnectez-vous pour en connecter un autre.",
    connectionGone:
      "Le compte visé par ce lien n'existe plus. Demandez un nouveau lien à l'expéditeur.",
    verificationLinkUsed:
      "Ce lien de vérification a expiré ou a déjà servi. Revenez à l'invitation et demandez-en un nouveau.",
    loginEnded: "Cette session de connexion a pris fin. Recommencez.",
    code_RATE_LIMITED: "Trop de tentatives en peu de temps. Attendez une minute, puis réessayez.",
  },
  fieldErrors: {
    email: "Saisissez une adresse e-mail valide, comme nom@exemple.fr.",
    ownerEmail: "Saisissez une adresse e-mail valide, comme nom@exemple.fr.",
    provider_name: "Saisissez le nom du fournisseur.",
    provider_url: "Saisissez l'adresse du site du fournisseur.",
    credential_username: "Saisissez l'identifiant que vous utilisez sur le site du fournisseur.",
    credential_password: "Saisissez le mot de passe.",
    collectionStartDate: "Saisissez une date, ou laissez le champ vide.",
  },
  errors: {
    INVITATION_EXPIRED: {
      title: "Ce lien a expiré",
      body: "Les invitations sont valables pour une durée limitée. Demandez un nouveau lien à la personne qui vous l'a envoyé.",
    },
    INVITATION_REVOKED: {
      title: "Ce lien a été annulé",
      body: "L'expéditeur a annulé cette invitation. Si vous devez toujours connecter un compte, demandez-lui un nouveau lien.",
    },
    INVITATION_FULFILLED: {
      title: "Ce lien a déjà été utilisé",
      body: "Votre compte est peut-être déjà connecté. Si vous devez en connecter un autre, demandez un nouveau lien à l'expéditeur.",
    },
    INVITATION_INVALID: {
      title: "Ce lien n'est pas valide",
      body: "Vérifiez que vous avez ouvert le lien complet de votre e-mail (les liens longs sont parfois coupés), ou demandez-en un nouveau à l'expéditeur.",
    },
    network: {
      title: "Impossible de joindre le serveur",
      body: "Vérifiez votre connexion Internet, puis réessayez.",
    },
    unknown: {
      title: "Une erreur s'est produite",
      body: "Réessayez dans un instant. Si le problème persiste, contactez la personne qui vous a envoyé le lien.",
    },
  },
};
