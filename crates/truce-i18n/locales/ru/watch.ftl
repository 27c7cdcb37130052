# Страницы наблюдения: соглашение и его соблюдение.
# Термины, несущие политический смысл, — по docs/glossary.md.

show = Показать

## Соглашение и соблюдение

agreement-title = Соглашение и его соблюдение
agreement-as-of-label = Соблюдение на дату
agreement-as-of = соблюдение на
agreement-computed = вычислено по { $entries ->
    [one] первой { $entries } записи журнала
   *[other] первым { $entries } записям журнала
}.
agreement-strips = Статус относится к периоду пересмотра; каждая полоса показывает все дни начиная с первого оценённого дня:
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
agreement-in = в
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
