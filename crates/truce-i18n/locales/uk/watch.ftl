# Сторінки спостереження: угода і її дотримання.
# Терміни, що мають політичне значення, — за docs/glossary.md.

show = Показати

## Угода і дотримання

agreement-title = Угода і її дотримання
agreement-as-of-label = Дотримання станом на
agreement-as-of = дотримання станом на
agreement-computed = обчислено з перших записів журналу, кількість: { $entries }.
agreement-strips = Статус стосується ретроспективного вікна оцінювання; кожна смуга показує всі дні від першого оціненого дня:
agreement-day-violation = день підтвердженого порушення,
agreement-day-ok = день без нього,
agreement-day-pre = ще не набуло чинності.
agreement-dispute-note = Заперечення сторони показано поруч зі статусом, якого воно стосується; воно передає спостереження перевіряльникам на повторний розгляд, але не змінює статусу: змінити його може лише рішення перевіряльника.
agreement-caption = Зобов'язання та їхній статус
agreement-col-commitment = Зобов'язання
agreement-col-obligor = Зобов'язана сторона
agreement-col-status = Статус
agreement-col-pam = Оцінка PAM (0–3)
agreement-col-days = Дні підтвердженого порушення
agreement-col-why = Чому, і докази
agreement-entries = записи
agreement-disputes = оскаржує
agreement-entry = запис { $index }
agreement-in = див.
agreement-awaiting-review = (очікує перевірки перевіряльником)
agreement-not-checkable = Не перевіряється автоматично

## Статус зобов'язання

status-not-in-force = не набуло чинності
status-awaiting-precondition = очікує передумови
status-compliant = дотримано
status-alleged-violation = заявлене порушення
status-verified-violation = підтверджене порушення
status-unverifiable = неможливо перевірити: доступ заборонено
status-compliant-now = дотримано зараз, порушено раніше

## Стан журналу

log-title = Стан журналу
log-origin = Походження
log-served = { $size ->
    [one] запис у контрольній точці, яку подає сервер
    [few] записи в контрольній точці, яку подає сервер
   *[other] записів у контрольній точці, яку подає сервер
} (журнал містить { $newest }), корінь
log-cosignatures = { $count ->
    [one] { $count } співпідпис свідка на цій контрольній точці.
    [few] { $count } співпідписи свідків на цій контрольній точці.
   *[other] { $count } співпідписів свідків на цій контрольній точці.
}
log-audit = Будь-хто може створити дзеркало журналу і перевірити його:
log-audit-witness = додавши файли ключів { "--witness" } для правила свідків.
log-vkey = Відкритий ключ журналу подано за адресою
log-vkey-confirm = завантажте його один раз і підтвердьте з місією іншим каналом.
log-entry-pages = Кожен запис має сторінку,
log-entry-pages-proof = яка доводить у вашому браузері, що запис є в журналі;
log-prove = записує той самий доказ у файл.
log-witnesses = Свідки
log-no-witness = Цей журнал не просить жодного свідка про співпідпис.
log-col-witness = Свідок
log-col-key = Ключ
log-col-size = Останній співпідписаний розмір
log-col-when = Коли (UTC)
log-col-this = Ця контрольна точка
log-col-error = Остання помилка
log-never = ніколи
log-cosigned = співпідписано
log-not-yet = ще ні
log-hosted = Цей сервер також розміщує таких свідків:
log-at = за адресою
log-checkpoint = Підписана контрольна точка

## Мапа

map-title = Мапа спостережень
map-show = Показати
map-from = З
map-to = по
map-view = Межі на мапі
map-class = Клас
map-verification = Перевірка
map-party = Сторона
map-attributed = Приписано
map-any-party = будь-якій стороні або жодній
map-region = Мапа спостережень і зон угоди
map-loading = Мапа завантажується…
map-legend = Умовні позначення
map-legend-note = Межі показано лише для орієнтації: спостереження ніколи не містить країни. Кола показують, скільки спостережень вони об'єднують; збільшіть масштаб, щоб їх розділити.
map-observations = Спостереження
map-search = Пошук у списку
map-search-hint = клас, стан, сторона, запис
map-col-entry = Запис
map-col-when = Коли (UTC)
map-col-class = Клас
map-col-count = Кількість
map-col-sensor = Спосіб
map-col-attributed = Приписано
map-col-verification = Перевірка
map-col-map = Мапа
map-noscript = Мапа і список потребують JavaScript. Ті самі спостереження:
map-download = Завантажити спостереження:
map-acled = CSV за зразком ACLED
map-zones = зони:

## Черга перевірки

queue-title = Черга перевірки
queue-intro = { $count ->
    [one] { $count } спостереження чекає на перевірку
    [few] { $count } спостереження чекають на перевірку
   *[other] { $count } спостережень чекають на перевірку
}, від найдавнішого: отримані або на розгляді, а також ті, які сторона оскаржила після рішення перевіряльника (рішення чинне, доки ви його не переглянете). Вставте файл ключа один раз; кожна кнопка підписує запис перевірки в цьому браузері (ніколи для вашого власного спостереження: журнал його відхилить) і надсилає його.
queue-keyfile = Ваш файл ключа
queue-col-entry = Запис
queue-col-day = День
queue-col-class = Клас
queue-col-state = Стан
queue-col-author = Ключ автора
queue-col-verify = Перевірити
queue-disputed-by = оскаржено: { $parties }
queue-corroborate = Підтвердити { $index }
queue-unverifiable = Неможливо перевірити { $index }
queue-reject = Відхилити { $index }
queue-take-up = Взяти на розгляд { $index }

## Межі на мапі

view-natural-earth-4-1-0 = Межі за Natural Earth (лінії фактичного контролю)
view-visionscarto-1-0-0 = Межі, визнані Генеральною Асамблеєю ООН

## Запис спостереження

observe-title = Записати спостереження
observe-intro = Заповніть, що ви побачили, почули або записали, завантажте файл ключа і підпишіть: спостереження підписується в цьому браузері, і надсилається лише підписаний запис. Лише координати: без країни.
observe-when-where = Коли і де
observe-start = Початок (UTC)
observe-end = Кінець (UTC)
observe-lat = Широта спостерігача (°)
observe-lon = Довгота спостерігача (°)
observe-controlled-by = Хто контролює місцевість (за спостереженням)
observe-unknown = невідомо
observe-what = Що
observe-sensor = Спосіб
observe-class = Клас
observe-count = Кількість
observe-approximately = приблизно
observe-bearing = Азимут на подію (°, необов'язково)
observe-distance = Відстань (м, необов'язково)
observe-weapon = Озброєння за оцінкою (необов'язково)
observe-no-weapon = немає
observe-calibre = Калібр (мм)
observe-note = Примітка (необов'язково)
observe-signature = Підпис
observe-keyfile = Ваш файл ключа (вставте його три рядки)
observe-submit = Підписати і надіслати

## Сторінка щоденного звіту

report-title = Щоденний звіт за { $date }
report-day = День
report-download = Завантажити цей звіт:
report-compliance-as = дотримання у форматі
report-observations-as = спостереження у форматі

## Сторінка запису

entry-title = Запис { $index }
entry-what-it-says = Що в ньому сказано
entry-author = автор
entry-seq = порядковий номер
entry-when = коли (UTC)
entry-position = місце спостерігача
entry-event = місце події (за азимутом і відстанню)
entry-near = найближчий населений пункт
entry-controlled-by = хто контролює місцевість (за спостереженням)
entry-sensor = спосіб
entry-class = клас
entry-count = кількість
entry-count-about = близько { $count }
entry-bearing = азимут
entry-distance = відстань
entry-weapon = озброєння за оцінкою
entry-calibre = калібр { $mm } мм
entry-note = примітка
entry-lat-north = { $deg }° пн. ш.
entry-lat-south = { $deg }° пд. ш.
entry-lon-east = { $deg }° сх. д.
entry-lon-west = { $deg }° зх. д.
entry-metres = { $m } м

map-js-boundaries = Межі: { $view } (Україну виділено жовтим).
map-js-observation = спостереження: { $state }
map-js-sensor = спосіб: { $sensor }
map-js-approximate = (приблизно)
map-js-attributed = приписано: { $parties }
map-js-nobody = ще нікому
map-js-verification = перевірка: { $state }
map-js-entry = запис { $index }: поля, історія та доказ
map-js-show-entry = Показати запис { $index } на мапі
map-js-marker = { $class } (запис { $index })
map-js-status = Показано спостережень: { $shown } з { $total }.
map-js-status-span = Показано спостережень: { $shown } з { $total }, від { $from } до { $to }.
map-js-start = початку
map-js-end = кінця
map-js-failed = Мапу не вдалося завантажити: { $error }. Перезавантажте сторінку; список і завантаження нижче працюють.
map-js-zone-km = { $km } км від лінії: { $line }
map-col-place = Місце
map-place-go = Перейти
map-place-found = { $place }: показано на мапі.
zone-contact_line = лінія зіткнення
zone-withdrawal_line = лінія відведення
zone-security_zone = зона безпеки
zone-disengagement_area = район розведення

field-title = Truce: польовий застосунок
field-setup = Налаштувати цей пристрій
field-setup-intro = Один раз, з підключенням: ваш API-токен, ваш запечатаний файл ключа і його пароль. Ключ відкривається тут і зберігається лише на цьому пристрої; прочитати його назад неможливо. Запечатаний файл ключа створює команда:
field-token = API-токен
field-sealed = Запечатаний файл ключа
field-sealed-file = …або виберіть файл
field-passphrase = Пароль
field-import = Імпортувати ключ
field-record = Записати спостереження
field-when-where = Коли і де
field-start = Початок (UTC)
field-minutes = Тривалість (хвилин)
field-lat = Широта (°)
field-lon = Довгота (°)
field-locate = Взяти положення цього пристрою
field-controlled-by = Хто контролює район (за спостереженням)
field-what = Що
field-class = Клас
field-sensor = Спосіб спостереження
field-count = Кількість
field-approximately = приблизно
field-bearing = Азимут на подію (°, необов'язково)
field-distance = Відстань (м, необов'язково)
field-note = Примітка (необов'язково)
field-photos = Фото, відео чи звук (необов'язково)
field-sign = Підписати і поставити в чергу
field-queue = Черга
field-sync = Синхронізувати зараз
field-online = Онлайн: черга синхронізується сама.
field-offline = Офлайн: спостереження підписуються і стають у чергу на цьому пристрої.

daily-title = Щоденний звіт { $date } — { $mission }
daily-translation = Це переклад. Автентичний текст — звіт англійською мовою, той, хеш якого може містити журнал.
daily-computed = Угода: { $agreement } ({ $id }). Записів журналу враховано: { $entries }. Подання меж на мапі: { $view }.
daily-by-class = Спостереження і події за класами
daily-by-class-note = Спостереження — це один підписаний запис; він може охоплювати кілька подій (три вибухи, почуті одночасно, — одне спостереження з 3 подіями).
daily-col-class = клас
daily-col-obs-today = спостережень сьогодні
daily-col-events-today = подій сьогодні
daily-col-obs-yesterday = спостережень учора
daily-col-events-yesterday = подій учора
daily-col-change = зміна кількості подій
daily-by-zone = Події за зонами (без патрулів)
daily-by-zone-note = Зони безпеки кожної лінії рахуються смугами, що не перекриваються: подія за 30 км від лінії рахується лише в її смузі 25–35 км.
daily-col-zone = зона
daily-col-today = сьогодні
daily-col-yesterday = учора
daily-col-change-short = зміна
daily-restrictions = Обмеження доступу
daily-none-recorded = Не зафіксовано.
daily-restriction = запис { $index }, { $time }, у районі, який, за спостереженням, контролює { $party } ({ $state })
daily-deadlines = Строки в найближчі 7 днів
daily-none = Немає.
daily-compliance = Дотримання станом на { $date }
daily-dispute-note = Оскарження стороною не змінює статусу; його показано поруч, і лише перевірка перевіряльника може переглянути висновок.
daily-col-commitment = зобов'язання
daily-col-status = статус
daily-col-pam = PAM
daily-col-days = днів порушення
daily-col-evidence = докази (записи журналу)
daily-col-disputed = оскаржено сторонами
daily-dispute = { $party } у записі { $index } (щодо запису { $of }): { $text }
daily-dispute-awaiting = { $party } у записі { $index } (щодо запису { $of }, очікує перевірки): { $text }
daily-on-map = Спостережень на мапі (HTML-звіт): { $count }.
daily-map = Мапа спостережень дня
daily-chart-title = Події за класами (кожне спостереження рахує свої події), { $date } порівняно з попереднім днем
daily-chart-caption = Події за класами, сьогодні й учора.
daily-map-title = Спостереження за { $date } з лініями угоди; межі: { $view }
daily-map-entry = запис { $index }: { $class } ({ $state })
daily-map-note = межі: { $view } (лише для показу); лінії схематичні
daily-map-caption = Спостереження за { $date }; межі держав з подання { $view } (лише для показу).
field-js-importing = Імпорт…
field-js-refused-token = сервер відхилив токен (HTTP { $status })
field-js-not-your-key = на цьому сервері цей ключ не записано за вами (HTTP { $status }): попросіть місію записати, що він у вас
field-js-not-imported = Не імпортовано: { $error }
field-js-no-position = Пристрій не дає положення: введіть його вручну.
field-js-no-position-error = Пристрій не дав положення ({ $error }): введіть його вручну.
field-js-bad-start = час початку — не дата
field-js-signed-queued = Підписано під номером { $seq } і поставлено в чергу (елемент { $id }).
field-js-not-recorded = Не записано: { $error }
field-js-already = уже записано: журнал уже містить номер { $seq } цього ключа, тож цю копію не збережено вдруге
field-js-summary = Спостережень на цьому пристрої: { $total }. Очікують: { $queued }; надіслано: { $sent }; записано з підтвердженою квитанцією: { $recorded }; уже записано: { $duplicate }; відхилено: { $refused }.
field-js-item = Номер { $seq }: { $summary }
field-js-files = файлів: { $count }
field-js-waiting = очікує надсилання
field-js-sent = надіслано: запис { $index }, очікує доказу
field-js-recorded = записано як запис { $index }; доказ підтверджено на цьому пристрої щодо контрольної точки розміру { $size }
field-js-refused = відхилено: { $reason }
field-js-signing-as = Підпис як { $name } (ключ { $key }…); наступний номер { $next }.
queue-col-observer = Спостерігач
queue-on-map = на мапі
queue-media = медіафайлів: { $count }
queue-reason = Причина для { $index }
queue-key-once = Вставляється раз на сесію: ключ зберігається в цьому браузері як ключ, який неможливо прочитати назад, і використовується лише в цій сесії.
queue-js-now = Запис { $index } тепер має стан «{ $state }» (запис журналу { $entry }).
queue-js-failed = Не надіслано: { $error }
queue-js-need-reason = Вкажіть, чому запис { $index } неможливо перевірити або відхилено: причину підписують разом із перевіркою.
queue-js-no-key = Спершу вставте файл ключа.
queue-js-kept = Ваш ключ { $name } завантажено на цю сесію.
queue-js-done = готово
observe-js-sending = Надсилання…
observe-js-already = Уже записано: журнал уже містить запис із цим порядковим номером вашого ключа — найімовірніше, це спостереження, чия перша відповідь загубилася дорогою (або номер першим використав інший ваш пристрій). Нічого не додано; сторінка журналу показує, що записано.
observe-js-not-yet = Ще не записано: { $why } ({ $error }). Підписане спостереження зберігається на цій сторінці: натисніть «Надіслати ще раз», щоб надіслати те саме; якщо воно вже надійшло, журнал про це скаже і нічого не додасть.
observe-js-network-failed = мережа не спрацювала
observe-js-server-answered = сервер відповів { $status }
observe-js-again = Надіслати ще раз
observe-js-appended = Підпис: { $name }. Додано до журналу як запис { $index }:
observe-js-see-entry = переглянути запис { $index } і його доказ
observe-js-not-recorded = Не записано: { $error }
observe-js-paste-again = Виправте це, знову вставте файл ключа і знову підпишіть.
observe-js-placed = { $place }: координати заповнено; уточніть їх до місця, де ви були.
agreement-provision = Пункт { $number }: { $title }
agreement-must = Обов'язок
agreement-must-not = Заборона
agreement-strip = Днів підтвердженого порушення між { $first } і { $last }: { $days }
agreement-pam-what = Що означає оцінка PAM
agreement-pam-explained = Оцінка йде за шкалою виконання Peace Accords Matrix і обчислюється з підтвердженого запису за весь період чинності: 3 — жодного дня підтвердженого порушення; 2 — порушення були, але жодного за останні { $days } днів; 1 — нещодавні порушення і деякі дні без них; 0 — ще не чинне або жодного дня без підтвердженого порушення.
