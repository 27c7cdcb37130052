# Спільні слова сторінок: макет, навігація, сторінки помилок, головна сторінка і вхід.
# Терміни, що мають політичне значення, — за docs/glossary.md.

## Макет

site-name = Truce
page-title = { $title } — Truce
nav-main = Головне меню
nav-home = Головна
nav-scenario = Сценарій
nav-choose = оберіть
nav-scenarios = Сценарії
nav-positions = Позиції
nav-analysis = Аналіз
nav-timeline = Хронологія
nav-rehearse = Репетиція
nav-agreement = Угода
nav-map = Мапа
nav-observe = Спостереження
nav-queue = Черга перевірки
nav-report = Щоденний звіт
nav-log = Журнал
nav-language = Мова
sign-in = Увійти
sign-out = Вийти
skip-to-content = Перейти до змісту

## Ролі

role-mediator = посередник
role-analyst = аналітик
role-party_delegate = делегат сторони
role-observer = спостерігач
role-verifier = перевіряльник
role-witness_operator = оператор свідка
role-public = відвідувач

## Сторінки помилок

error-home = Перейти на головну сторінку
error-unauthorized-title = Будь ласка, увійдіть
error-unauthorized = Ця сторінка — для користувачів, які увійшли. Увійдіть із токеном, який вам видав посередник або місія.
error-forbidden-title = Не для вашої ролі
error-not-found-title = Сторінку не знайдено
error-not-found = За цією адресою нічого немає. Перевірте, чи немає в ній помилки, або перейдіть за посиланням з меню.
error-missing-title = Не знайдено
error-invalid-title = Неможливо відповісти
error-invalid = На запит неможливо відповісти: { $why }. Виправте назване і спробуйте ще раз.
error-conflict-title = Конфлікт
error-too-large-title = Завеликий обсяг
error-too-large = Надішліть щось менше.
error-timeout-title = Надто повільно
error-busy-title = Сервер зайнятий
error-busy = Зачекайте кілька секунд і перезавантажте сторінку; нічого не втрачено.
error-internal-title = Щось пішло не так
error-internal = Сервер не зміг показати цю сторінку. Нічого з надісланого вами не збережено, якщо сторінка не сказала інакше. Перезавантажте за мить; якщо це повториться, повідомте операторові сервера, коли це сталося.

## Головна

home-intro = Truce зберігає позиції сторін і те, що в них знаходить Стіл переговорів, угоду як зобов'язання, які можна перевірити, і підписаний журнал місії спостерігачів, з якого будь-хто може заново обчислити дотримання угоди.
home-scenarios = Сценарії
home-analysis = аналіз
home-timeline = хронологія
scenario-count = { $count ->
    [one] { $count } сценарій
    [few] { $count } сценарії
    [many] { $count } сценаріїв
   *[other] { $count } сценарію
}
home-log = Журнал містить { $entries ->
    [one] { $entries } підписаний запис
    [few] { $entries } підписані записи
    [many] { $entries } підписаних записів
   *[other] { $entries } підписаного запису
}.
home-compliance = Дотримання угоди
home-compliance-rest = обчислюється з них.
home-sign-in = Увійдіть зі своїм токеном, щоб бачити те, що дозволено вашій ролі.

## Вхід

login-title = Вхід
login-token = Токен
login-cookie = Токен зберігається в файлі cookie з позначкою HttpOnly лише для цього сайту.
