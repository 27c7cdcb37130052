# Страницы наблюдения: соглашение и его соблюдение.
# Термины, несущие политический смысл, — по docs/glossary.md.

show = Показать

## Соглашение и соблюдение

agreement-title = Соглашение и его соблюдение
agreement-as-of-label = Соблюдение на дату
agreement-as-of = соблюдение на
agreement-computed = вычислено по первым записям журнала, количество: { $entries }.
agreement-strips = Статус относится к ретроспективному окну оценки; каждая полоса показывает все дни начиная с первого оценённого дня:
agreement-day-violation = день подтверждённого нарушения,
agreement-day-ok = день без него,
agreement-day-pre = ещё не вступило в силу.
agreement-dispute-note = Возражение стороны показано рядом со статусом, к которому оно относится; оно передаёт наблюдение проверяющим на повторное рассмотрение, но не меняет статус: изменить его может только решение проверяющего.
agreement-caption = Обязательства и их статус
agreement-col-commitment = Обязательство
agreement-col-obligor = Обязанная сторона
agreement-col-status = Статус
agreement-col-pam = Оценка PAM (0–3)
agreement-col-days = Дни подтверждённого нарушения
agreement-col-why = Почему, и доказательства
agreement-entries = записи
agreement-disputes = оспаривает
agreement-entry = запись { $index }
agreement-in = см.
agreement-awaiting-review = (ожидает рассмотрения проверяющим)
agreement-not-checkable = Не проверяется автоматически

## Статус обязательства

status-not-in-force = не вступило в силу
status-awaiting-precondition = ожидает предварительного условия
status-compliant = соблюдено
status-alleged-violation = заявленное нарушение
status-verified-violation = подтверждённое нарушение
status-unverifiable = невозможно проверить: доступ запрещён
status-compliant-now = соблюдено сейчас, нарушено ранее

## Состояние журнала

log-title = Состояние журнала
log-origin = Происхождение
log-served = { $size ->
    [one] запись в контрольной точке, которую отдаёт сервер
    [few] записи в контрольной точке, которую отдаёт сервер
   *[other] записей в контрольной точке, которую отдаёт сервер
} (в журнале { $newest }), корень
log-cosignatures = { $count ->
    [one] { $count } подпись свидетеля на этой контрольной точке.
    [few] { $count } подписи свидетелей на этой контрольной точке.
   *[other] { $count } подписей свидетелей на этой контрольной точке.
}
log-audit = Любой может создать зеркало журнала и проверить его:
log-audit-witness = добавив файлы ключей { "--witness" } для правила свидетелей.
log-vkey = Открытый ключ журнала доступен по адресу
log-vkey-confirm = загрузите его один раз и подтвердите с миссией по другому каналу.
log-entry-pages = У каждой записи есть страница,
log-entry-pages-proof = которая доказывает в вашем браузере, что запись есть в журнале;
log-prove = записывает то же доказательство в файл.
log-witnesses = Свидетели
log-no-witness = Этот журнал не просит ни одного свидетеля о подписи.
log-col-witness = Свидетель
log-col-key = Ключ
log-col-size = Последний подписанный размер
log-col-when = Когда (UTC)
log-col-this = Эта контрольная точка
log-col-error = Последняя ошибка
log-never = никогда
log-cosigned = подписано
log-not-yet = ещё нет
log-hosted = Этот сервер также размещает таких свидетелей:
log-at = по адресу
log-checkpoint = Подписанная контрольная точка

## Карта

map-title = Карта наблюдений
map-show = Показать
map-from = С
map-to = по
map-view = Границы на карте
map-class = Класс
map-verification = Проверка
map-party = Сторона
map-attributed = Приписано
map-any-party = любой стороне или никакой
map-region = Карта наблюдений и зон соглашения
map-loading = Карта загружается…
map-legend = Условные обозначения
map-legend-note = Границы показаны только для ориентации: наблюдение никогда не содержит страны. Круги показывают, сколько наблюдений они объединяют; увеличьте масштаб, чтобы их разделить.
map-observations = Наблюдения
map-search = Поиск по списку
map-search-hint = класс, состояние, сторона, запись
map-col-entry = Запись
map-col-when = Когда (UTC)
map-col-class = Класс
map-col-count = Количество
map-col-sensor = Способ
map-col-attributed = Приписано
map-col-verification = Проверка
map-col-map = Карта
map-noscript = Карте и списку нужен JavaScript. Те же наблюдения:
map-download = Скачать наблюдения:
map-acled = CSV по образцу ACLED
map-zones = зоны:

## Очередь проверки

queue-title = Очередь проверки
queue-intro = { $count ->
    [one] { $count } наблюдение ждёт проверки
    [few] { $count } наблюдения ждут проверки
   *[other] { $count } наблюдений ждут проверки
}, начиная с самого давнего: полученные или на рассмотрении, а также те, которые сторона оспорила после решения проверяющего (решение действует, пока вы его не пересмотрите). Вставьте файл ключа один раз; каждая кнопка подписывает запись проверки в этом браузере (никогда для вашего собственного наблюдения: журнал её отклонит) и отправляет её.
queue-keyfile = Ваш файл ключа
queue-col-entry = Запись
queue-col-day = День
queue-col-class = Класс
queue-col-state = Состояние
queue-col-author = Ключ автора
queue-col-verify = Проверить
queue-disputed-by = оспорено: { $parties }
queue-corroborate = Подтвердить { $index }
queue-unverifiable = Невозможно проверить { $index }
queue-reject = Отклонить { $index }
queue-take-up = Взять на рассмотрение { $index }

## Границы на карте

view-natural-earth-4-1-0 = Границы по Natural Earth (линии фактического контроля)
view-visionscarto-1-0-0 = Границы, признанные Генеральной Ассамблеей ООН

## Запись наблюдения

observe-title = Записать наблюдение
observe-intro = Заполните, что вы увидели, услышали или записали, загрузите файл ключа и подпишите: наблюдение подписывается в этом браузере, и отправляется только подписанная запись. Только координаты: без страны.
observe-when-where = Когда и где
observe-start = Начало (UTC)
observe-end = Конец (UTC)
observe-lat = Широта наблюдателя (°)
observe-lon = Долгота наблюдателя (°)
observe-controlled-by = Кто контролирует местность (по наблюдению)
observe-unknown = неизвестно
observe-what = Что
observe-sensor = Способ
observe-class = Класс
observe-count = Количество
observe-approximately = приблизительно
observe-bearing = Азимут на событие (°, необязательно)
observe-distance = Расстояние (м, необязательно)
observe-weapon = Вооружение по оценке (необязательно)
observe-no-weapon = нет
observe-calibre = Калибр (мм)
observe-note = Примечание (необязательно)
observe-signature = Подпись
observe-keyfile = Ваш файл ключа (вставьте его три строки)
observe-submit = Подписать и отправить

## Страница ежедневного отчёта

report-title = Ежедневный отчёт за { $date }
report-day = День
report-download = Скачать этот отчёт:
report-compliance-as = соблюдение в формате
report-observations-as = наблюдения в формате

## Страница записи

entry-title = Запись { $index }
entry-what-it-says = Что в ней сказано
entry-author = автор
entry-seq = порядковый номер
entry-when = когда (UTC)
entry-position = место наблюдателя
entry-event = место события (по азимуту и расстоянию)
entry-near = ближайший населённый пункт
entry-controlled-by = кто контролирует местность (по наблюдению)
entry-sensor = способ
entry-class = класс
entry-count = количество
entry-count-about = около { $count }
entry-bearing = азимут
entry-distance = расстояние
entry-weapon = вооружение по оценке
entry-calibre = калибр { $mm } мм
entry-note = примечание
entry-lat-north = { $deg }° с. ш.
entry-lat-south = { $deg }° ю. ш.
entry-lon-east = { $deg }° в. д.
entry-lon-west = { $deg }° з. д.
entry-metres = { $m } м

map-js-boundaries = Границы: { $view } (Украина выделена жёлтым).
map-js-observation = наблюдение: { $state }
map-js-sensor = способ: { $sensor }
map-js-approximate = (приблизительно)
map-js-attributed = приписано: { $parties }
map-js-nobody = пока никому
map-js-verification = проверка: { $state }
map-js-entry = запись { $index }: поля, история и доказательство
map-js-show-entry = Показать запись { $index } на карте
map-js-marker = { $class } (запись { $index })
map-js-status = Показано наблюдений: { $shown } из { $total }.
map-js-status-span = Показано наблюдений: { $shown } из { $total }, от { $from } до { $to }.
map-js-start = начала
map-js-end = конца
map-js-failed = Карту не удалось загрузить: { $error }. Перезагрузите страницу; список и загрузки ниже работают.
map-js-zone-km = { $km } км от линии: { $line }
map-col-place = Место
map-place-go = Перейти
map-place-found = { $place }: показано на карте.
zone-contact_line = линия соприкосновения
zone-withdrawal_line = линия отвода
zone-security_zone = зона безопасности
zone-disengagement_area = район разведения

field-title = Truce: полевое приложение
field-setup = Настроить это устройство
field-setup-intro = Один раз, с подключением: ваш API-токен, ваш запечатанный файл ключа и его пароль. Ключ открывается здесь и хранится только на этом устройстве; прочитать его обратно нельзя. Запечатанный файл ключа создаёт команда:
field-token = API-токен
field-sealed = Запечатанный файл ключа
field-sealed-file = …или выберите файл
field-passphrase = Пароль
field-import = Импортировать ключ
field-record = Записать наблюдение
field-when-where = Когда и где
field-start = Начало (UTC)
field-minutes = Длительность (минут)
field-lat = Широта (°)
field-lon = Долгота (°)
field-locate = Взять положение этого устройства
field-controlled-by = Кто контролирует район (по наблюдению)
field-what = Что
field-class = Класс
field-sensor = Способ наблюдения
field-count = Количество
field-approximately = приблизительно
field-bearing = Азимут на событие (°, необязательно)
field-distance = Расстояние (м, необязательно)
field-note = Примечание (необязательно)
field-photos = Фото, видео или звук (необязательно)
field-sign = Подписать и поставить в очередь
field-queue = Очередь
field-sync = Синхронизировать сейчас
field-online = Онлайн: очередь синхронизируется сама.
field-offline = Офлайн: наблюдения подписываются и встают в очередь на этом устройстве.

daily-title = Ежедневный отчёт { $date } — { $mission }
daily-translation = Это перевод. Аутентичный текст — отчёт на английском языке, тот, хеш которого может содержать журнал.
daily-computed = Соглашение: { $agreement } ({ $id }). Учтено записей журнала: { $entries }. Представление границ на карте: { $view }.
daily-by-class = Наблюдения и события по классам
daily-by-class-note = Наблюдение — это одна подписанная запись; оно может охватывать несколько событий (три взрыва, услышанные одновременно, — одно наблюдение с 3 событиями).
daily-col-class = класс
daily-col-obs-today = наблюдений сегодня
daily-col-events-today = событий сегодня
daily-col-obs-yesterday = наблюдений вчера
daily-col-events-yesterday = событий вчера
daily-col-change = изменение числа событий
daily-by-zone = События по зонам (без патрулей)
daily-by-zone-note = Зоны безопасности каждой линии считаются неперекрывающимися полосами: событие в 30 км от линии считается только в её полосе 25–35 км.
daily-col-zone = зона
daily-col-today = сегодня
daily-col-yesterday = вчера
daily-col-change-short = изменение
daily-restrictions = Ограничения доступа
daily-none-recorded = Не зафиксировано.
daily-restriction = запись { $index }, { $time }, в районе, который, по наблюдению, контролирует { $party } ({ $state })
daily-deadlines = Сроки в ближайшие 7 дней
daily-none = Нет.
daily-compliance = Соблюдение на { $date }
daily-dispute-note = Оспаривание стороной не меняет статуса; оно показано рядом, и только проверка проверяющего может пересмотреть вывод.
daily-col-commitment = обязательство
daily-col-status = статус
daily-col-pam = PAM
daily-col-days = дней нарушения
daily-col-evidence = доказательства (записи журнала)
daily-col-disputed = оспорено сторонами
daily-dispute = { $party } в записи { $index } (о записи { $of }): { $text }
daily-dispute-awaiting = { $party } в записи { $index } (о записи { $of }, ожидает проверки): { $text }
daily-on-map = Наблюдений на карте (HTML-отчёт): { $count }.
daily-map = Карта наблюдений дня
daily-chart-title = События по классам (каждое наблюдение считает свои события), { $date } по сравнению с предыдущим днём
daily-chart-caption = События по классам, сегодня и вчера.
daily-map-title = Наблюдения за { $date } с линиями соглашения; границы: { $view }
daily-map-entry = запись { $index }: { $class } ({ $state })
daily-map-note = границы: { $view } (только для показа); линии схематичны
daily-map-caption = Наблюдения за { $date }; границы государств из представления { $view } (только для показа).
field-js-importing = Импорт…
field-js-refused-token = сервер отклонил токен (HTTP { $status })
field-js-not-your-key = на этом сервере этот ключ не записан за вами (HTTP { $status }): попросите миссию записать, что он у вас
field-js-not-imported = Не импортировано: { $error }
field-js-no-position = Устройство не даёт положения: введите его вручную.
field-js-no-position-error = Устройство не дало положения ({ $error }): введите его вручную.
field-js-bad-start = время начала — не дата
field-js-signed-queued = Подписано под номером { $seq } и поставлено в очередь (элемент { $id }).
field-js-not-recorded = Не записано: { $error }
field-js-already = уже записано: журнал уже содержит номер { $seq } этого ключа, поэтому эта копия не сохранена повторно
field-js-summary = Наблюдений на этом устройстве: { $total }. Ожидают: { $queued }; отправлено: { $sent }; записано с подтверждённой квитанцией: { $recorded }; уже записано: { $duplicate }; отклонено: { $refused }.
field-js-item = Номер { $seq }: { $summary }
field-js-files = файлов: { $count }
field-js-waiting = ожидает отправки
field-js-sent = отправлено: запись { $index }, ожидает доказательства
field-js-recorded = записано как запись { $index }; доказательство подтверждено на этом устройстве по контрольной точке размера { $size }
field-js-refused = отклонено: { $reason }
field-js-signing-as = Подпись как { $name } (ключ { $key }…); следующий номер { $next }.
queue-col-observer = Наблюдатель
queue-on-map = на карте
queue-media = медиафайлов: { $count }
queue-reason = Причина для { $index }
queue-key-once = Вставляется раз за сессию: ключ хранится в этом браузере как ключ, который нельзя прочитать обратно, и используется только в этой сессии.
queue-js-now = Запись { $index } теперь в состоянии «{ $state }» (запись журнала { $entry }).
queue-js-failed = Не отправлено: { $error }
queue-js-need-reason = Укажите, почему запись { $index } признана непроверяемой или отклонена: причина подписывается вместе с проверкой.
queue-js-no-key = Сначала вставьте файл ключа.
queue-js-kept = Ваш ключ { $name } загружен на эту сессию.
queue-js-done = готово
observe-js-sending = Отправка…
observe-js-already = Уже записано: журнал уже содержит запись с этим порядковым номером вашего ключа — скорее всего, это наблюдение, чей первый ответ потерялся в пути (или номер первым использовало другое ваше устройство). Ничего не добавлено; страница журнала показывает, что записано.
observe-js-not-yet = Ещё не записано: { $why } ({ $error }). Подписанное наблюдение хранится на этой странице: нажмите «Отправить ещё раз», чтобы отправить то же самое; если оно уже дошло, журнал об этом скажет и ничего не добавит.
observe-js-network-failed = сеть не сработала
observe-js-server-answered = сервер ответил { $status }
observe-js-again = Отправить ещё раз
observe-js-appended = Подпись: { $name }. Добавлено в журнал как запись { $index }:
observe-js-see-entry = посмотреть запись { $index } и её доказательство
observe-js-not-recorded = Не записано: { $error }
observe-js-paste-again = Исправьте это, снова вставьте файл ключа и снова подпишите.
observe-js-placed = { $place }: координаты заполнены; уточните их до места, где вы были.
agreement-provision = Пункт { $number }: { $title }
agreement-must = Обязанность
agreement-must-not = Запрет
agreement-strip = Дней подтверждённого нарушения между { $first } и { $last }: { $days }
agreement-pam-what = Что означает оценка PAM
agreement-pam-explained = Оценка следует шкале выполнения Peace Accords Matrix и вычисляется по подтверждённой записи за весь период действия: 3 — ни одного дня подтверждённого нарушения; 2 — нарушения были, но ни одного за последние { $days } дней; 1 — недавние нарушения и некоторые дни без них; 0 — ещё не действует или ни одного дня без подтверждённого нарушения.
