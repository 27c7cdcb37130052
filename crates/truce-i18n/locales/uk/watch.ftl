# Сторінки спостереження: угода і її дотримання.
# Терміни, що мають політичне значення, — за docs/glossary.md.

show = Показати

## Угода і дотримання

agreement-title = Угода і її дотримання
agreement-as-of-label = Дотримання станом на
agreement-as-of = дотримання станом на
agreement-computed = обчислено з { $entries ->
    [one] першого { $entries } запису журналу
   *[other] перших { $entries } записів журналу
}.
agreement-strips = Статус стосується періоду перегляду; кожна смуга показує всі дні від першого оціненого дня:
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
agreement-in = у
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
