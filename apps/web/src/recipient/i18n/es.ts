import type { TRecipientStrings } from "./en";

export const es: TRecipientStrings = {
  meta: {
    titleNeutral: "Conecta tu cuenta de suministro",
    title: "{{company}} · Conecta tu cuenta de suministro",
    language: "Idioma",
    poweredBy: "Protegido por Meterlink",
  },
  progress: {
    label: "Progreso",
    stepOf: "Paso {{current}} de {{total}}",
    consent: "Bienvenida",
    verify: "Tu correo",
    provider: "Compañía",
    "sign-in": "Iniciar sesión",
    sites: "Edificios",
    done: "Listo",
  },
  common: {
    continue: "Continuar",
    back: "Atrás",
    retry: "Reintentar",
    loading: "Cargando…",
    working: "Un momento…",
    required: "obligatorio",
  },
  consent: {
    headingReconnectNamed: "{{company}} te pide volver a conectar tu cuenta de {{provider}}",
    reconnectReason: "Motivo: {{reason}}",
    heading: "{{company}} te pide conectar una cuenta de suministro",
    headingReconnect: "{{company}} te pide volver a conectar una cuenta de suministro",
    intro:
      "{{company}} recoge automáticamente las facturas de los edificios que gestiona, para que nadie tenga que enviar una contraseña por correo ni descargar PDF a mano.",
    messageFrom: "Mensaje de {{company}}",
    whatHappens: "Qué va a pasar",
    step1:
      "Eliges tu compañía e inicias sesión en su propio sitio web, que se muestra aquí en un navegador remoto seguro.",
    step2: "Indicas qué edificios cubre la cuenta.",
    step3: "Eso es todo: {{company}} recibirá tus facturas a partir de ahora.",
    duration: "Tarda unos 2 o 3 minutos.",
    safetyHeading: "Tu contraseña sigue siendo privada",
    safety1:
      "Escribes tu contraseña en el propio sitio web de tu compañía. Nadie en {{company}} la ve.",
    safety2: "Se guarda cifrada y solo la usa la recogida automática de facturas.",
    safety3:
      "{{company}} solo puede usar este acceso para recoger facturas y datos de consumo de sus edificios. Puedes pedirle que lo elimine en cualquier momento.",
    expires: "Esta invitación es válida hasta el {{date}}.",
    checkbox:
      "Acepto compartir el acceso a mi cuenta de suministro con {{company}} para la recogida de facturas.",
    mustAgree: "Marca la casilla para continuar.",
    start: "Empezar",
  },
  verify: {
    heading: "Confirma tu dirección de correo",
    intro:
      "Esta invitación es para personas concretas. Escribe tu dirección de correo y te enviaremos un enlace.",
    email: "Dirección de correo",
    send: "Enviarme un enlace",
    sent: "Revisa tu bandeja de entrada",
    sentBody:
      "Si {{email}} puede usar esta invitación, le hemos enviado un enlace. Ábrelo en el dispositivo en el que quieras continuar: la invitación sigue donde se abra el enlace.",
    waiting: "Esperando a que hagas clic en el enlace…",
    resend: "Usar otra dirección",
    verifying: "Confirmando tu dirección de correo…",
    failed: "No hemos podido confirmar tu correo",
    backToInvitation: "Volver a la invitación",
  },
  elsewhere: {
    heading: "Has continuado en la otra pestaña",
    body: "Tu dirección de correo está confirmada y la invitación continúa en la pestaña que abrió el enlace. Puedes cerrar esta.",
    here: "Continuar aquí",
  },
  provider: {
    generic: "tu compañía",
    heading: "¿Qué compañía quieres conectar?",
    country: "País",
    anyCountry: "Todos los países",
    search: "Nombre o sitio web de la compañía",
    searchHint: "Por ejemplo «Northwind» o «northwind.com».",
    results: "Compañías",
    none: "Ninguna compañía coincide. Revisa la ortografía o elige otro país.",
    notListed: "Mi compañía no está en la lista",
    prefilled: "{{company}} te pide conectar esta compañía:",
    change: "Elegir otra compañía",
    mfaHint: "Usa un código de un solo uso",
    manualHeading: "Cuéntanos sobre tu compañía",
    manualName: "Nombre de la compañía",
    manualUrl: "Sitio web (opcional)",
    manualNameError: "Escribe el nombre de la compañía.",
    manualUrlError: "Escribe la dirección del sitio web, empezando por https://.",
    notListedWebsite: "Mi proveedor no aparece — introducir su sitio web",
    manualIntro:
      "Introduzca la dirección de su sitio web para iniciar sesión en el propio sitio del proveedor, o solo su nombre para escribir aquí sus datos.",
    manualWebsite: "Dirección del sitio web",
    manualWebsiteHint: "Por ejemplo https://www.riverside-power.com",
    manualNameHint: "Opcional si introduce el sitio web.",
    checking: "Comprobando la dirección…",
  },
  signIn: {
    unlistedIntro:
      "Este es {{domain}}, el sitio que ha introducido, en un navegador remoto seguro que solo abre páginas de {{domain}}. Inicie sesión como de costumbre, incluido cualquier código que le envíen.",
    queued:
      "Todos los navegadores seguros están ocupados. Eres el número {{position}} en la cola; empezará solo.",
    heading: "Inicia sesión en {{provider}}",
    intro:
      "Este es el sitio web real de {{provider}}, en un navegador remoto seguro. Inicia sesión como siempre, incluido cualquier código que te envíen.",
    switchManual: "¿No puedes iniciar sesión aquí? Escribe tus datos en su lugar",
    switchLive: "Iniciar sesión en el sitio web de la compañía",
    starting: "Iniciando un navegador seguro…",
    reconnecting: "Conexión perdida. Reconectando…",
    ended: "Esta sesión del navegador ha terminado.",
    replaced: "Este inicio de sesión continúa en otra de tus ventanas.",
    workerLost: "El navegador seguro se detuvo. Empieza de nuevo: tarda unos segundos.",
    queueSoon: "Tu turno debería llegar en menos de un minuto.",
    queueMinutes: "Tu turno debería llegar en unos {{count}} min.",
    restart: "Empezar de nuevo",
    back: "Atrás",
    reload: "Recargar",
    address: "Dirección de la página mostrada",
    secure: "Conexión segura",
    notSecure: "No seguro",
    canvasLabel:
      "Navegador remoto que muestra {{provider}}. Haz clic para usarlo y escribe con tu teclado.",
    failure: "El sitio web no lo ha aceptado. Revisa tus datos e inténtalo de nuevo.",
    failureAgain:
      "No se aceptó de nuevo (intento {{count}}). Revisa cada carácter; muchos sitios bloquean la cuenta tras unos intentos.",
    locked:
      "{{provider}} indica que esta cuenta está bloqueada por ahora. No lo intentes más aquí: espera o desbloquéala en el sitio de {{provider}} o por teléfono y empieza de nuevo, o introduce tus datos a mano.",
    mfa: "Escribe el código que te ha enviado {{provider}}.",
    unsure: "¿Has iniciado sesión?",
    unsureBody: "Todavía no sabemos si el inicio de sesión ha funcionado.",
    yesSignedIn: "Sí, he iniciado sesión",
    notYet: "Todavía no",
    success: "Sesión iniciada. Un momento…",
    unavailable:
      "El navegador seguro no está disponible ahora mismo. Escribe tus datos en su lugar.",
    fleetBusyHeading: "Todos los navegadores seguros están ocupados",
    fleetBusy:
      "Hay demasiadas personas iniciando sesión ahora mismo. Espera un minuto y vuelve a intentarlo, o escribe tus datos en su lugar.",
    dialogOk: "Aceptar",
    dialogCancel: "Cancelar",
    dialogFrom: "El sitio web dice",
  },
  manual: {
    headingGeneric: "Escribe los datos de acceso de tu compañía",
    heading: "Escribe tus datos de acceso de {{provider}}",
    intro:
      "Tus datos viajan por una conexión cifrada y se guardan cifrados. Nadie en {{company}} puede leerlos.",
    username: "Usuario o correo",
    password: "Contraseña",
    showPassword: "Mostrar contraseña",
    notes: "Notas (opcional)",
    notesHint: "Cualquier cosa que ayude a iniciar sesión, como un número de cliente.",
    usernameError: "Escribe el usuario que usas en el sitio web de la compañía.",
    passwordError: "Escribe la contraseña.",
  },
  mfa: {
    heading: "Una cosa más: los códigos de acceso",
    intro:
      "{{provider}} envía un código de un solo uso cada vez que alguien inicia sesión. Para recoger tus facturas cada semana sin molestarte, esos códigos deben llegarnos automáticamente.",
    how: "Cómo reenviar los códigos",
    number: "Número de reenvío (SMS)",
    iphone: {
      title: "iPhone: automatización de Atajos",
      steps:
        "Abre la app Atajos, toca Automatización y luego Nueva automatización (+).\nElige Mensaje, Remitente: {{provider}} (o El mensaje contiene: código) y Ejecutar inmediatamente.\nAñade la acción Enviar mensaje: la entrada del atajo como mensaje, a {{target}}.\nToca OK. Los SMS de {{provider}} se reenviarán en cuanto lleguen.",
    },
    android: {
      title: "Android: una app de reenvío",
      steps:
        "Instala una app de reenvío de SMS desde Google Play (por ejemplo «SMS Forwarder»).\nAñade una regla: mensajes de {{provider}} (o que contengan «código»).\nReenvíalos a {{target}}.\nPermite que la app lea los SMS y funcione en segundo plano.",
    },
    gmail: {
      title: "Gmail",
      steps:
        "En Gmail en un ordenador: Configuración (engranaje) › Ver toda la configuración › Reenvío y correo POP/IMAP › Añadir una dirección de reenvío: {{target}}.\nConfírmala y crea un filtro: De contiene {{provider}} o Asunto contiene «código».\nElige Reenviar a {{target}} y crea el filtro.",
    },
    outlook: {
      title: "Outlook",
      steps:
        "En Outlook: Configuración › Correo › Reglas › Agregar nueva regla.\nCondición: De {{provider}} (o el asunto incluye «código»).\nAcción: Reenviar a {{target}}. Guarda.",
    },
    testHeading: "Reenvía ahora cualquier mensaje",
    testBody:
      "Para comprobarlo, reenvía cualquier mensaje (un SMS o un correo, no hace falta código) a la dirección o al número de arriba. Esta página se actualiza sola.",
    testWord:
      "¿Envías el SMS desde tu teléfono? Incluye {{word}} en el mensaje: puede que otras personas estén probando este número ahora mismo.",
    testUnclaimed:
      "Llegó un SMS mientras otra persona también probaba el número, así que no sabemos si era tuyo. Envíalo de nuevo con {{word}} dentro.",
    waiting: "Esperando un mensaje…",
    received: "Recibido ✓ El reenvío funciona.",
    address: "Dirección de reenvío",
    addressLater: "{{company}} te enviará la dirección de reenvío de esta conexión.",
    copy: "Copiar",
    copied: "Copiado",
    colleague: "¿Otra persona tiene el teléfono? Envía estas instrucciones a un compañero",
    mailSubject: "Reenvía los códigos de acceso de {{provider}}",
    mailBody:
      "Hola:\n\n{{company}} recoge automáticamente nuestras facturas de {{provider}}. {{provider}} envía un código de un solo uso cada vez que alguien inicia sesión. Configura el reenvío automático de esos códigos (SMS o correos de {{provider}}) a: {{address}}\n\n¡Gracias!",
    mailAddressLater: "la dirección que te enviará {{company}}",
    continue: "Continuar",
    skip: "Lo haré más tarde",
  },
  handoff: {
    offer: "¿El teléfono con el código lo tiene otra persona? Pásale este inicio de sesión",
    explain:
      "Envía a un compañero un enlace que abre este mismo inicio de sesión en su dispositivo para que escriba allí el código. Esta página continúa sola en cuanto se acepte el código.",
    name: "Nombre de tu compañero",
    create: "Crear el enlace",
    linkFor: "Envía este enlace a {{name}}:",
    validity: "Funciona una vez, en un dispositivo, durante 30 minutos.",
    handedTo: "{{name}} está escribiendo el código… Esta página continúa sola en cuanto se acepte.",
    welcome: "Te han pedido que escribas un código de acceso",
    welcomeBody:
      "Alguien que conecta una cuenta de suministro necesita el código de un solo uso que la compañía te envió. Abre el inicio de sesión y escribe el código en la página de la compañía.",
    start: "Abrir el inicio de sesión",
    entering: "{{name}} está escribiendo el código",
    enteringBody:
      "Escribe en la página de abajo el código que te envió {{provider}}. {{company}} está conectando esta cuenta; solo tú ves tu pantalla.",
    done: "Listo ✓",
    doneBody: "El código fue aceptado. Puedes cerrar esta página.",
    ended: "Este inicio de sesión ha terminado",
    endedBody: "Pide a quien te envió el enlace que empiece de nuevo si aún hace falta un código.",
    unusable: "Este enlace no se puede usar",
  },
  sites: {
    duplicateAddSites: "Añadir mis sitios a ella",
    duplicateConnectAnyway: "Conectarla de nuevo de todos modos",
    sitesRequired: "Elige al menos un sitio.",
    typesRequired: "Elige al menos un suministro de esta cuenta.",
    heading: "¿Qué edificios cubre esta cuenta?",
    intro: "Elige cada edificio cuyas facturas llegan a esta cuenta.",
    sites: "Edificios",
    noSites: "{{company}} aún no ha registrado edificios. Puedes continuar.",
    utilityTypes: "¿Qué suministra esta cuenta?",
    ownerEmail: "Correo del titular de la cuenta (opcional)",
    startDate: "Recoger facturas desde (opcional)",
    submit: "Conectar mi cuenta",
    submitting: "Conectando…",
    electricity: "Electricidad",
    gas: "Gas",
    water: "Agua",
    district_heating: "Calefacción urbana",
  },
  done: {
    next1Later:
      "Empezamos a recoger las facturas cuando {{company}} haya configurado la recogida para esta compañía. Puede tardar unos días; no tienes que hacer nada.",
    bodyGeneric: "{{company}} ya tiene acceso a las facturas de tu compañía.",
    headingReconnect: "Tu cuenta de {{provider}} está conectada de nuevo",
    headingReconnectGeneric: "Tu cuenta de suministro está conectada de nuevo",
    bodyReconnect: "{{company}} puede volver a recoger tus facturas.",
    heading: "¡Gracias por conectar tu cuenta de suministro!",
    body: "{{company}} ya tiene acceso a tus facturas de {{provider}}.",
    next: "Qué pasa ahora",
    next1In: "Tus primeras facturas ya están aquí: {{company}} ya puede verlas.",
    next1None:
      "Todavía no hay facturas en esta cuenta: las nuevas se recogen en cuanto llegan y {{company}} las verá entonces.",
    next1: "Recogemos tus primeras facturas en los próximos minutos.",
    next2: "Después, las facturas se recogen automáticamente; no tienes que hacer nada.",
    next3: "Si cambias tu contraseña, {{company}} te enviará un nuevo enlace.",
    close: "Ya puedes cerrar esta página.",
    back: "Volver a {{company}}",
  },
  deadLink: {
    from: "Esta invitación la envió {{company}}.",
    ask: "Pedir un nuevo enlace",
    asked: "Hecho. Si se puede contactar con el remitente, ya sabe que desea un nuevo enlace.",
    connectedTitle: "Ya conectó esta cuenta",
    connectedBody:
      "La conectó para {{company}} el {{date}}. No hay nada más que hacer; puede cerrar esta página.",
  },
  notices: {
    NAVIGATION_BLOCKED: "Esta ventana solo abre el sitio web de {{provider}}.",
    DOWNLOAD_BLOCKED: "Las descargas no están disponibles en esta ventana.",
    INPUT_FAILED: "Eso no llegó a la página. Inténtalo de nuevo.",
    INVALID_MESSAGE: "Eso no llegó a la página. Inténtalo de nuevo.",
    REPLACED: "Este inicio de sesión se abrió en otra ventana.",
  },
  apiErrors: {
    alreadyConnected:
      "Esta cuenta ya está conectada. Puedes añadir tus sitios a la conexión existente o conectarla de nuevo de todos modos.",
    tooManyHere:
      "Ya hay varios navegadores seguros abiertos desde esta red. Termina o cierra uno y vuelve a intentarlo.",
    fleetBusy:
      "Todos los navegadores seguros están ocupados ahora. Inténtalo de nuevo en unos minutos o introduce tus datos a mano.",
    liveUnavailable:
      "El inicio de sesión en directo no está disponible ahora. Introduce tus datos a mano.",
    tooManyOnLink:
      "Varias personas están iniciando sesión con este enlace ahora mismo. Inténtalo en un minuto o introduce tus datos a mano.",
    sessionEnded: "Tu sesión ha terminado. Vuelve a abrir el enlace de tu correo para continuar.",
    verificationRequired: "Primero confirma tu dirección de correo: te hemos enviado un enlace.",
    signInAlreadyUsed:
      "Este inicio de sesión ya se usó para conectar una cuenta. Inicia sesión de nuevo para conectar otra.",
    connectionGone:
      "La conexión de este enlace ya no existe. Pide un enlace nuevo a quien te lo envió.",
    verificationLinkUsed:
      "Este enlace de verificación ha caducado o ya se usó. Vuelve a la invitación y pide uno nuevo.",
    loginEnded: "Esta sesión de inicio ha terminado. Empieza de nuevo.",
    code_RATE_LIMITED:
      "Demasiados intentos en poco tiempo. Espera un minuto y vuelve a intentarlo.",
  },
  fieldErrors: {
    email: "Introduce una dirección de correo válida, como nombre@ejemplo.es.",
    ownerEmail: "Introduce una dirección de correo válida, como nombre@ejemplo.es.",
    provider_name: "Introduce el nombre de la compañía.",
    provider_url: "Introduce la dirección web de la compañía.",
    credential_username: "Introduce el usuario que usas en el sitio web de la compañía.",
    credential_password: "Introduce la contraseña.",
    collectionStartDate: "Introduce una fecha o deja el campo vacío.",
  },
  errors: {
    INVITATION_EXPIRED: {
      title: "Este enlace ha caducado",
      body: "Las invitaciones tienen una validez limitada. Pide un nuevo enlace a la persona que te lo envió.",
    },
    INVITATION_REVOKED: {
      title: "Este enlace se ha cancelado",
      body: "El remitente canceló esta invitación. Si todavía necesitas conectar una cuenta, pídele un nuevo enlace.",
    },
    INVITATION_FULFILLED: {
      title: "Este enlace ya se ha usado",
      body: "Puede que tu cuenta ya esté conectada. Si necesitas conectar otra, pide un nuevo enlace al remitente.",
    },
    INVITATION_INVALID: {
      title: "Este enlace no es válido",
      body: "Comprueba que has abierto el enlace completo de tu correo (los enlaces largos a veces se cortan) o pide uno nuevo al remitente.",
    },
    network: {
      title: "No podemos conectar con el servidor",
      body: "Comprueba tu conexión a Internet e inténtalo de nuevo.",
    },
    unknown: {
      title: "Algo ha salido mal",
      body: "Inténtalo de nuevo dentro de un momento. Si sigue pasando, contacta con la persona que te envió el enlace.",
    },
  },
};
