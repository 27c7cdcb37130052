# Общие слова страниц: макет, навигация, страницы ошибок, главная страница и вход.
# Термины, несущие политический смысл, — по docs/glossary.md.

## Макет

site-name = Truce
page-title = { $title } — Truce
nav-main = Главное меню
nav-home = Главная
nav-scenario = Сценарий
nav-choose = выберите
nav-scenarios = Сценарии
nav-positions = Позиции
nav-analysis = Анализ
nav-timeline = Хронология
nav-rehearse = Репетиция
nav-agreement = Соглашение
nav-map = Карта
nav-observe = Наблюдение
nav-queue = Очередь проверки
nav-report = Ежедневный отчёт
nav-log = Журнал
nav-language = Язык
sign-in = Войти
sign-out = Выйти
skip-to-content = Перейти к содержанию

## Роли

role-mediator = посредник
role-analyst = аналитик
role-party_delegate = делегат стороны
role-observer = наблюдатель
role-verifier = проверяющий
role-witness_operator = оператор свидетеля
role-public = посетитель

## Страницы ошибок

error-home = Перейти на главную страницу
error-unauthorized-title = Пожалуйста, войдите
error-unauthorized = Эта страница — для вошедших пользователей. Войдите с токеном, который вам выдал посредник или миссия.
error-forbidden-title = Не для вашей роли
error-not-found-title = Страница не найдена
error-not-found = По этому адресу ничего нет. Проверьте, нет ли в нём опечатки, или перейдите по ссылке из меню.
error-missing-title = Не найдено
error-invalid-title = Невозможно ответить
error-invalid = На запрос невозможно ответить: { $why }. Исправьте названное и попробуйте ещё раз.
error-conflict-title = Конфликт
error-too-large-title = Слишком большой объём
error-too-large = Отправьте что-нибудь поменьше.
error-timeout-title = Слишком медленно
error-busy-title = Сервер занят
error-busy = Подождите несколько секунд и перезагрузите страницу; ничего не потеряно.
error-internal-title = Что-то пошло не так
error-internal = Сервер не смог показать эту страницу. Ничего из отправленного вами не сохранено, если страница не сказала иначе. Перезагрузите через мгновение; если это повторится, сообщите оператору сервера, когда это произошло.

## Главная

home-intro = Truce хранит позиции сторон и то, что в них находит Стол переговоров, соглашение в виде проверяемых обязательств и подписанный журнал миссии наблюдателей, по которому любой может заново вычислить соблюдение соглашения.
home-scenarios = Сценарии
home-analysis = анализ
home-timeline = хронология
scenario-count = { $count ->
    [one] { $count } сценарий
    [few] { $count } сценария
    [many] { $count } сценариев
   *[other] { $count } сценария
}
home-log = Журнал содержит { $entries ->
    [one] { $entries } подписанную запись
    [few] { $entries } подписанные записи
    [many] { $entries } подписанных записей
   *[other] { $entries } подписанной записи
}.
home-compliance = Соблюдение соглашения
home-compliance-rest = вычисляется по ним.
home-sign-in = Войдите со своим токеном, чтобы видеть то, что разрешено вашей роли.

## Вход

login-title = Вход
login-token = Токен
login-cookie = Токен хранится в файле cookie с пометкой HttpOnly только для этого сайта.
