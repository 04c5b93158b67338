import type { TRecipientStrings } from "./en";

export const ja: TRecipientStrings = {
  meta: {
    titleNeutral: "公共料金アカウントの接続",
    title: "{{company}} · 公共料金アカウントの接続",
    language: "言語",
    poweredBy: "Meterlink による保護",
  },
  progress: {
    label: "進行状況",
    stepOf: "ステップ {{current}} / {{total}}",
    consent: "はじめに",
    verify: "メール確認",
    provider: "事業者",
    "sign-in": "サインイン",
    sites: "拠点",
    done: "完了",
  },
  common: {
    continue: "次へ",
    back: "戻る",
    retry: "もう一度試す",
    loading: "読み込み中…",
    working: "処理中…",
    required: "必須",
  },
  consent: {
    headingReconnectNamed: "{{company}} から {{provider}} アカウントの再接続依頼が届いています",
    reconnectReason: "理由: {{reason}}",
    heading: "{{company}} から公共料金アカウントの接続依頼が届いています",
    headingReconnect: "{{company}} から公共料金アカウントの再接続依頼が届いています",
    intro:
      "{{company}} は管理する建物の請求書を自動で取得します。パスワードをメールで送ったり、PDF を手作業でダウンロードしたりする必要はありません。",
    messageFrom: "{{company}} からのメッセージ",
    whatHappens: "この後の流れ",
    step1:
      "ご利用の事業者を選び、その事業者自身のウェブサイトにサインインします。サイトは安全なリモートブラウザでここに表示されます。",
    step2: "このアカウントが対象とする建物を選びます。",
    step3: "以上です。今後は {{company}} が請求書を受け取ります。",
    duration: "所要時間は 2〜3 分ほどです。",
    safetyHeading: "パスワードは守られます",
    safety1:
      "パスワードは事業者自身のウェブサイトに入力します。{{company}} の担当者が目にすることはありません。",
    safety2: "パスワードは暗号化して保存され、請求書の自動取得にのみ使われます。",
    safety3:
      "{{company}} はこのアクセスを自社の建物の請求書と使用量データの取得にのみ使用できます。いつでも削除を依頼できます。",
    expires: "この招待の有効期限は {{date}} です。",
    checkbox:
      "請求書の取得のため、公共料金アカウントへのアクセスを {{company}} と共有することに同意します。",
    mustAgree: "続けるにはチェックボックスをオンにしてください。",
    start: "はじめる",
  },
  verify: {
    heading: "メールアドレスの確認",
    intro:
      "この招待は特定の方のみが利用できます。メールアドレスを入力すると、確認用リンクをお送りします。",
    email: "メールアドレス",
    send: "リンクを送信",
    sent: "受信トレイを確認してください",
    sentBody:
      "{{email}} がこの招待を利用できる場合、リンクを送信しました。続けたい端末でリンクを開いてください。招待はリンクを開いた場所で続きます。",
    waiting: "リンクのクリックを待っています…",
    resend: "別のアドレスを使う",
    verifying: "メールアドレスを確認しています…",
    failed: "メールアドレスを確認できませんでした",
    backToInvitation: "招待に戻る",
  },
  elsewhere: {
    heading: "別のタブで続行しました",
    body: "メールアドレスが確認され、招待はリンクで開いたタブで続いています。このタブは閉じてかまいません。",
    here: "このタブで続ける",
  },
  provider: {
    generic: "ご利用の事業者",
    heading: "どの事業者を接続しますか？",
    country: "国",
    anyCountry: "すべての国",
    search: "事業者名またはウェブサイト",
    searchHint: "例：「Northwind」または「northwind.com」",
    results: "事業者",
    none: "該当する事業者がありません。つづりを確認するか、別の国を選んでください。",
    notListed: "利用している事業者が一覧にない",
    prefilled: "{{company}} から次の事業者の接続を依頼されています：",
    change: "別の事業者を選ぶ",
    mfaHint: "ワンタイムコードを使用",
    manualHeading: "事業者について教えてください",
    manualName: "事業者名",
    manualUrl: "ウェブサイト（任意）",
    manualNameError: "事業者名を入力してください。",
    manualUrlError: "https:// で始まるウェブサイトのアドレスを入力してください。",
    notListedWebsite: "一覧にない事業者です — ウェブサイトを入力",
    manualIntro:
      "ウェブサイトのアドレスを入力すると事業者のサイトでサインインできます。名前だけを入力すると、ここでログイン情報を入力します。",
    manualWebsite: "ウェブサイトのアドレス",
    manualWebsiteHint: "例：https://www.riverside-power.com",
    manualNameHint: "ウェブサイトを入力した場合は省略できます。",
    checking: "アドレスを確認しています…",
  },
  signIn: {
    unlistedIntro:
      "入力したウェブサイト {{domain}} を、{{domain}} のページだけを開く安全なリモートブラウザで表示しています。いつもどおりサインインしてください（送られてくるコードも含めて）。",
    queued: "安全なブラウザはすべて使用中です。現在 {{position}} 番目です。自動的に開始します。",
    heading: "{{provider}} にサインイン",
    intro:
      "これは安全なリモートブラウザで表示している {{provider}} の本物のウェブサイトです。届いたコードの入力も含め、いつもどおりサインインしてください。",
    switchManual: "ここでサインインできない場合は、ログイン情報を入力してください",
    switchLive: "事業者のウェブサイトでサインインする",
    starting: "安全なブラウザを起動しています…",
    reconnecting: "接続が切れました。再接続しています…",
    ended: "このブラウザセッションは終了しました。",
    replaced: "このサインインは別のウィンドウで続いています。",
    workerLost: "安全なブラウザが停止しました。もう一度開始してください（数秒で始まります）。",
    queueSoon: "1分以内に順番が来る見込みです。",
    queueMinutes: "約 {{count}} 分で順番が来る見込みです。",
    restart: "やり直す",
    back: "戻る",
    reload: "再読み込み",
    address: "表示中のページのアドレス",
    secure: "安全な接続",
    notSecure: "保護されていない通信",
    canvasLabel:
      "{{provider}} を表示しているリモートブラウザ。クリックして操作し、キーボードで入力してください。",
    failure: "ウェブサイトに受け付けられませんでした。入力内容を確認して、もう一度お試しください。",
    failureAgain:
      "再び受け付けられませんでした（{{count}} 回目）。1文字ずつご確認ください。多くのサイトは数回の失敗でアカウントをロックします。",
    locked:
      "{{provider}} によると、このアカウントは現在ロックされています。ここでは再試行せず、時間をおくか {{provider}} のサイトや電話でロックを解除してからやり直すか、手入力で情報を入力してください。",
    mfa: "{{provider}} から届いたコードを入力してください。",
    unsure: "サインインできましたか？",
    unsureBody: "サインインが成功したかどうか、まだ判断できません。",
    yesSignedIn: "はい、サインインしました",
    notYet: "まだです",
    success: "サインインしました。少々お待ちください…",
    unavailable: "安全なブラウザは現在利用できません。ログイン情報を入力してください。",
    fleetBusyHeading: "安全なブラウザがすべて使用中です",
    fleetBusy:
      "現在サインインしている人が多すぎます。1 分ほど待ってからもう一度試すか、ログイン情報を入力してください。",
    dialogOk: "OK",
    dialogCancel: "キャンセル",
    dialogFrom: "ウェブサイトからのメッセージ",
  },
  manual: {
    headingGeneric: "ご利用の事業者のログイン情報を入力",
    heading: "{{provider}} のログイン情報を入力",
    intro:
      "入力内容は暗号化された通信で送られ、暗号化して保存されます。{{company}} の担当者は読むことができません。",
    username: "ユーザー名またはメールアドレス",
    password: "パスワード",
    showPassword: "パスワードを表示",
    notes: "メモ（任意）",
    notesHint: "お客様番号など、サインインに役立つ情報。",
    usernameError: "事業者のウェブサイトで使っているユーザー名を入力してください。",
    passwordError: "パスワードを入力してください。",
  },
  mfa: {
    heading: "最後に：サインインコードについて",
    intro:
      "{{provider}} はサインインのたびにワンタイムコードを送ります。毎週あなたの手をわずらわせずに請求書を取得するには、コードが自動で届く必要があります。",
    how: "コードの転送方法",
    number: "転送先番号（SMS）",
    iphone: {
      title: "iPhone：ショートカットのオートメーション",
      steps:
        "ショートカットアプリを開き、オートメーション、新規オートメーション（+）をタップします。\nメッセージを選び、送信者を {{provider}}（または「メッセージに次を含む：コード」）にして「すぐに実行」を選びます。\nアクション「メッセージを送信」を追加し、ショートカットの入力をメッセージとして {{target}} に送ります。\n完了をタップします。{{provider}} からのSMSが届くとすぐ転送されます。",
    },
    android: {
      title: "Android：転送アプリ",
      steps:
        "Google Play からSMS転送アプリ（例：「SMS Forwarder」）をインストールします。\nルールを追加します：{{provider}} からのメッセージ（または「コード」を含むもの）。\n転送先を {{target}} にします。\nアプリにSMSの読み取りとバックグラウンド実行を許可します。",
    },
    gmail: {
      title: "Gmail",
      steps:
        "パソコンの Gmail で：設定（歯車）› すべての設定を表示 › メール転送と POP/IMAP › 転送先アドレスを追加：{{target}}。\n確認したら、フィルタを作成します：From に {{provider}}、または件名に「コード」。\n「{{target}} に転送する」を選び、フィルタを作成します。",
    },
    outlook: {
      title: "Outlook",
      steps:
        "Outlook で：設定 › メール › ルール › 新しいルールを追加。\n条件：差出人 {{provider}}（または件名に「コード」を含む）。\nアクション：{{target}} に転送。保存します。",
    },
    testHeading: "今すぐ何かメッセージを転送してください",
    testBody:
      "動作を確認するため、上のアドレスまたは番号に任意のメッセージ（SMSでもメールでも、コードは不要）を転送してください。このページは自動で更新されます。",
    testWord:
      "ご自分の電話からSMSを送る場合は、メッセージに {{word}} を入れてください。他の方が同じ番号を同時にテストしている場合があります。",
    testUnclaimed:
      "他の方も同じ番号をテストしている間にSMSが届いたため、あなたからのものか判別できませんでした。{{word}} を入れてもう一度送ってください。",
    waiting: "メッセージを待っています…",
    received: "受信しました ✓ 転送は機能しています。",
    address: "転送先アドレス",
    addressLater: "この接続の転送先アドレスは {{company}} からお知らせします。",
    copy: "コピー",
    copied: "コピーしました",
    colleague: "電話を持っているのは別の方ですか？ この手順を同僚に送る",
    mailSubject: "{{provider}} のサインインコードの転送のお願い",
    mailBody:
      "お疲れさまです。\n\n{{company}} が {{provider}} の請求書を自動で取得しています。{{provider}} はサインインのたびにワンタイムコードを送ります。これらのコード（{{provider}} からの SMS またはメール）を次のアドレスへ自動転送するよう設定をお願いします：{{address}}\n\nよろしくお願いします。",
    mailAddressLater: "{{company}} から案内されるアドレス",
    continue: "次へ",
    skip: "後で設定する",
  },
  handoff: {
    offer: "コードを受け取る電話を別の人が持っていますか？このサインインを渡す",
    explain:
      "同僚に、このサインインをその人の端末で開くリンクを送り、そこでコードを入力してもらいます。コードが受け付けられると、このページは自動で進みます。",
    name: "同僚の名前",
    create: "リンクを作成",
    linkFor: "このリンクを {{name}} さんに送ってください：",
    validity: "1回だけ、1台の端末で、30分間使えます。",
    handedTo:
      "{{name}} さんがコードを入力しています… 受け付けられると、このページは自動で進みます。",
    welcome: "サインインコードの入力を頼まれました",
    welcomeBody:
      "公共料金のアカウントを接続している人が、事業者からあなたに届いたワンタイムコードを必要としています。サインインを開き、事業者のページにコードを入力してください。",
    start: "サインインを開く",
    entering: "{{name}} さんがコードを入力しています",
    enteringBody:
      "{{provider}} から届いたコードを下のページに入力してください。{{company}} がこのアカウントを接続しています。画面はあなたにしか見えません。",
    done: "完了 ✓",
    doneBody: "コードが受け付けられました。このページは閉じてかまいません。",
    ended: "このサインインは終了しました",
    endedBody: "まだコードが必要な場合は、リンクを送った人にやり直しを頼んでください。",
    unusable: "このリンクは使用できません",
  },
  sites: {
    duplicateAddSites: "既存の接続に拠点を追加",
    duplicateConnectAnyway: "このまま再度接続",
    sitesRequired: "拠点を1つ以上選んでください。",
    typesRequired: "このアカウントの供給内容を1つ以上選んでください。",
    heading: "このアカウントの対象となる建物は？",
    intro: "このアカウントに請求書が届くすべての拠点を選んでください。",
    sites: "拠点",
    noSites: "{{company}} はまだ拠点を登録していません。このまま進めます。",
    utilityTypes: "このアカウントで供給されるもの",
    ownerEmail: "アカウント名義人のメールアドレス（任意）",
    startDate: "請求書の取得開始日（任意）",
    submit: "アカウントを接続",
    submitting: "接続しています…",
    electricity: "電気",
    gas: "ガス",
    water: "水道",
    district_heating: "地域熱供給",
  },
  done: {
    next1Later:
      "{{company}} がこの事業者の取得設定を終えると、請求書の取得を開始します。数日かかる場合がありますが、お客様の操作は不要です。",
    bodyGeneric: "{{company}} はご利用の事業者の請求書にアクセスできるようになりました。",
    headingReconnect: "{{provider}} アカウントを再接続しました",
    headingReconnectGeneric: "公共料金アカウントを再接続しました",
    bodyReconnect: "{{company}} は再び請求書を取得できます。",
    heading: "公共料金アカウントを接続していただきありがとうございます！",
    body: "{{company}} は {{provider}} の請求書にアクセスできるようになりました。",
    next: "今後の流れ",
    next1In: "最初の請求書はすでに届いています。{{company}} がすぐに確認できます。",
    next1None:
      "このアカウントにはまだ請求書がありません。新しい請求書は届きしだい取得され、{{company}} が確認できるようになります。",
    next1: "数分以内に最初の請求書を取得します。",
    next2: "その後は自動で取得されます。お客様の操作は不要です。",
    next3: "パスワードを変更した場合は、{{company}} から新しいリンクが届きます。",
    close: "このページは閉じてかまいません。",
    back: "{{company}} に戻る",
  },
  deadLink: {
    from: "この招待は {{company}} から送られました。",
    ask: "新しいリンクを依頼する",
    asked: "送信しました。送信者に連絡がつく場合、新しいリンクをご希望であることが伝わります。",
    connectedTitle: "このアカウントはすでに接続済みです",
    connectedBody:
      "{{date}} に {{company}} のために接続済みです。これ以上の操作は不要です。このページを閉じてかまいません。",
  },
  notices: {
    NAVIGATION_BLOCKED: "このウィンドウでは {{provider}} のウェブサイトだけを開けます。",
    DOWNLOAD_BLOCKED: "このウィンドウではダウンロードできません。",
    INPUT_FAILED: "操作がページに届きませんでした。もう一度お試しください。",
    INVALID_MESSAGE: "操作がページに届きませんでした。もう一度お試しください。",
    REPLACED: "このサインインは別のウィンドウで開かれました。",
  },
  apiErrors: {
    alreadyConnected:
      "この公共料金アカウントはすでに接続されています。既存の接続に拠点を追加するか、このまま再度接続できます。",
    tooManyHere:
      "このネットワークからすでに複数の安全なブラウザーが開かれています。どれかを終えるか閉じてから、もう一度お試しください。",
    fleetBusy:
      "安全なブラウザーはすべて使用中です。数分後にもう一度お試しいただくか、情報を手入力してください。",
    liveUnavailable: "現在ライブサインインは利用できません。代わりに情報を手入力してください。",
    tooManyOnLink:
      "現在このリンクで複数の方がサインインしています。1分後にもう一度お試しいただくか、情報を手入力してください。",
    sessionEnded: "セッションが終了しました。続けるには、メールのリンクをもう一度開いてください。",
    verificationRequired: "まずメールアドレスを確認してください。リンクをお送りしました。",
    signInAlreadyUsed:
      "このサインインはすでにアカウントの接続に使われました。別のアカウントを接続するには、もう一度サインインしてください。",
    connectionGone: "このリンクの接続はもう存在しません。送信者に新しいリンクを依頼してください。",
    verificationLinkUsed:
      "この確認リンクは期限切れか、すでに使用されています。招待に戻って新しいリンクを依頼してください。",
    loginEnded: "このサインインセッションは終了しました。最初からやり直してください。",
    code_RATE_LIMITED: "短時間に試行が多すぎます。1分待ってからもう一度お試しください。",
  },
  fieldErrors: {
    email: "name@example.com のような有効なメールアドレスを入力してください。",
    ownerEmail: "name@example.com のような有効なメールアドレスを入力してください。",
    provider_name: "事業者名を入力してください。",
    provider_url: "事業者のウェブサイトのアドレスを入力してください。",
    credential_username: "事業者のウェブサイトで使っているユーザー名を入力してください。",
    credential_password: "パスワードを入力してください。",
    collectionStartDate: "日付を入力するか、空欄のままにしてください。",
  },
  errors: {
    INVITATION_EXPIRED: {
      title: "このリンクは有効期限切れです",
      body: "招待には有効期限があります。送信者に新しいリンクを依頼してください。",
    },
    INVITATION_REVOKED: {
      title: "このリンクは取り消されました",
      body: "送信者がこの招待を取り消しました。接続が必要な場合は、新しいリンクを依頼してください。",
    },
    INVITATION_FULFILLED: {
      title: "このリンクは使用済みです",
      body: "アカウントはすでに接続されている可能性があります。別のアカウントを接続する場合は、送信者に新しいリンクを依頼してください。",
    },
    INVITATION_INVALID: {
      title: "このリンクは無効です",
      body: "メールのリンクを最後まで開いたか確認してください（長いリンクは途中で切れることがあります）。または送信者に新しいリンクを依頼してください。",
    },
    network: {
      title: "サーバーに接続できません",
      body: "インターネット接続を確認して、もう一度お試しください。",
    },
    unknown: {
      title: "問題が発生しました",
      body: "しばらくしてからもう一度お試しください。問題が続く場合は、リンクの送信者に連絡してください。",
    },
  },
};
