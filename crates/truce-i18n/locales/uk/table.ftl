# The Table's pages: stances, analysis, timeline, rehearsal, scenarios and positions.
# Terms that carry politics follow docs/glossary.md.

# The timeline: the period before the first statement on file.
timeline-nothing-on-file = Ще нічого не зафіксовано
timeline-nothing-on-file-help = затінені дати передують першій заяві в записах, тож кожен пакет здається відкритим лише тому, що жодна сторона ще не висловилася.

## Shared words

th-issue = Питання
th-option = Варіант
th-reading = Прочитання
none = немає
list-or = { " або " }
of-total = { $part } з { $total }
rule = Правило

## Stances, readings, verdicts and the other closed vocabularies

stance-demanded = вимога
stance-acceptable = прийнятно
stance-unknown = невідомо
stance-opposed = проти
stance-red_line = червона лінія
reading-red_lines = червоні лінії
reading-strict = суворе
reading-pessimistic = песимістичне
reading-title-red_lines = Прочитання «червоні лінії»
reading-title-strict = Суворе прочитання
reading-title-pessimistic = Песимістичне прочитання
reading-about-red_lines = Тут жорсткими є лише червоні лінії.
reading-about-strict = Тут червоні лінії жорсткі, і поточні вимоги кожної сторони щодо питання мають бути виконані.
reading-about-pessimistic = Тут червоні лінії жорсткі, а кожна позиція, записана як невідома, вважається червоною лінією.
verdict-meets_demand = відповідає її вимозі
verdict-accepted = прийнятно
verdict-no_position = позиції немає
verdict-unknown = невідомо
verdict-crosses_opposition = всупереч її запереченню
verdict-crosses_red_line = перетинає її червону лінію
precision-day = точний день
precision-month = лише місяць
precision-year = лише рік
qualifier-conditional = за умови
qualifier-proposed_in_draft = запропоновано в проєкті
qualifier-reported_via_sources = за повідомленнями джерел
qualifier-reported_by_counterpart = за повідомленням іншої сторони
qualifier-only_after_agreement = лише після угоди
qualifier-timing = щодо строків
qualifier-under_consideration = на розгляді
qualifier-no_consensus = без консенсусу
basis-inferred = виведено

## A cited position

cite-on = щодо
cite-line = рядок { $line }
tag-stale = застаріле
    .title = Зроблено більш ніж за рік до дати аналізу
quote-paraphrase = переказ
quote-translated = переклад
quote-document = текст документа

## The stance matrix

stances-title = Позиції: { $scenario }
stances-add-position = Додати позицію
stances-versions = Версії та зміни
stances-version = Версія { $version } сценарію
stances-intro = Поточна позиція кожної сторони щодо кожного варіанта. Виберіть клітинку, щоб побачити позицію, її дату та цитоване джерело.
stances-colours = Кольори:
stances-caption = Позиції за сторонами та варіантами
stances-correct = виправити

## The analysis

analysis-title = Аналіз
analysis-confidential-with = З конфіденційними поданнями: { $parties }.
analysis-confidential-none = Жодне конфіденційне подання не застосовується: це аналіз за публічними позиціями.
analysis-confidential-only = Цей аналіз бачать лише посередники.
analysis-public-link = Аналіз за публічними позиціями
analysis-not-counted = Не враховано: { $count ->
    [one] { $count } подання більше не стосується
    [few] { $count } подання більше не стосуються
    [many] { $count } подань більше не стосуються
   *[other] { $count } подання більше не стосуються
} цієї версії сценарію.
analysis-not-counted-rest = Для цих сторін аналіз використовує власні числа сценарію, доки вони не подадуть знову.
analysis-submission = подання { $id }
analysis-from-public = За публічними позиціями.
analysis-with-confidential = З конфіденційними поданнями сторін
analysis-mediators-only = лише для посередників
analysis-replay = Відтворити позиції, відомі на
analysis-replay-empty = порожньо: усі позиції в записах
what-if-summary = А якщо… вимкнути жорсткі обмеження (вимкнено: { $count })
what-if-help = Кожен прапорець — це жорстке обмеження однієї сторони. Позначте ті, від яких слід відмовитися, і проаналізуйте знову: кожне прочитання буде переобчислено без них.
analysis-analyse = Аналізувати
analysis-reset = Скинути
analysis-warning = Попередження
what-if-banner = А якщо
what-if-banner-rest = ці жорсткі обмеження вимкнено в кожному прочитанні:
relax-red-line = { $party } відмовляється від своєї червоної лінії щодо «{ $option }»
relax-unknown = невідома позиція сторони { $party } щодо «{ $option }» виявляється не червоною лінією
relax-demand = { $party } відмовляється від своєї вимоги щодо «{ $issue }» (вимога: { $options })
relax-cross = { $party } відмовляється від свого обмеження { $rule }
analysis-counts = Питань: { $issues }, варіантів: { $options }, позицій: { $known } з { $positions }
analysis-known-on = відомих на { $date }
analysis-on-file = у записах
analysis-parties = сторони за столом
analysis-stale-rule = Заяви, зроблені більш ніж за { $days } днів до { $date }, позначено як
analysis-stale-rest = відтоді сторона могла змінити позицію.
readings-caption = Що знаходить кожне прочитання
th-hard-constraints = Жорсткі обмеження
th-feasible = Можливі пакети
th-blocked = Заблоковані питання
th-fewest = Найменше поступок
th-pareto = Множина Парето
reading-feasible = Пакетів, що дотримуються всіх жорстких обмежень ({ $constraints }): { $feasible } з { $total }.
reading-infeasible = Жоден пакет не дотримується всіх жорстких обмежень ({ $constraints }):
reading-blocked = { $count ->
    [one] { $count } питання заблоковане
    [few] { $count } питання заблоковані
    [many] { $count } питань заблоковані
   *[other] { $count } питання заблоковані
}
reading-assumed = Невідомі позиції, що вважаються червоними лініями
concessions-at-fewest = Найменша кількість поступок, що відкриває можливість домовитися:
concessions-count = { $count ->
    [one] { $count } поступка
    [few] { $count } поступки
    [many] { $count } поступок
   *[other] { $count } поступки
}
concessions-ways = — мінімальних способів це зробити: { $count } (по одній альтернативі на кожне заблоковане питання, у поєднанні).
concessions-blocked = Заблоковано
alternative-explained = Якщо { $relax }, це відкриває { $opens }.
alternative-size = { $concessions ->
    [one] { $concessions } поступка
    [few] { $concessions } поступки
    [many] { $concessions } поступок
   *[other] { $concessions } поступки
}, { $parties ->
    [one] { $parties } сторона
    [few] { $parties } сторони
    [many] { $parties } сторін
   *[other] { $parties } сторони
}
coalitions = Коаліції
coalitions-no-reservation = Жорсткі обмеження всіх сторін за столом можна виконати разом, але жоден такий пакет не забезпечує кожній стороні її резервного значення.
coalitions-all = У прочитанні «{ $reading }» усі сторони за столом можуть домовитися.
coalitions-largest = Найбільші групи, які можуть домовитися за нинішнього стану:
coalitions-smallest = Найменші групи, які не можуть:
bargaining = Розв'язки торгу
bargaining-no-reservation = Жоден можливий пакет не дає кожній стороні хоча б її резервного значення: за кожного якійсь стороні вигідніше вийти, тож угоди, прийнятної для всіх, немає.
bargaining-pareto = Профілів корисності, оптимальних за Парето серед можливих пакетів: { $count }.
package-nash = Пакет Неша
package-maximin = Пакет максиміну
package-ks = Пакет Калаї — Смородинського
package-ks-genius = Пакет Калаї — Смородинського (Genius)
package-utilitarian = Утилітарний пакет
score-nash = добуток Неша
score-maximin = найменша корисність
score-ks = розкид
score-ks-genius = сума різниць
score-utilitarian = сума корисностей
th-equally-good = Так само добре
account-utility = корисність { $utility }
account-unmet-demand = невиконана вимога
analysis-draft = Від пакета до зобов'язань
analysis-draft-link = скласти проєкт угоди з пакета Неша
analysis-draft-others = або з пакета максиміну, Калаї — Смородинського чи утилітарного
analysis-same-document = Той самий документ
analysis-text = текст
analysis-command-line = у командному рядку

## Robustness

robust-heading = Стійкість
robust-intro = Яка частина відповіді витримує невідоме: кожна спроба з заданою ймовірністю вважає кожну невідому позицію червоною лінією, дає сторонам випадкові ваги там, де їх немає, і заново обчислює можливість і пакет Неша (прочитання «червоні лінії», усі позиції в записах). Обчислення йде у фоні, а ця сторінка показує його хід.
robust-draws = Спроби
robust-seed = Зерно
robust-unknown = Імовірність, що невідома позиція є червоною лінією
robust-run = Запустити
robust-progress = Виконані спроби стійкості
robust-starting = Починаємо…
robust-progress-text = { $done } з { $draws } спроб
robust-done = Виконано спроб: { $draws } (зерно { $seed }).
robust-stopped = Зупинено
robust-method = Кожна спроба
robust-method-text = прочитання «червоні лінії»; кожна невідома позиція є червоною лінією з імовірністю { $p }, інакше її корисність рівномірно розподілена між корисностями «проти» і «прийнятно» для сторони; сторони без явних ваг отримують ваги питань із розподілу Діріхле(1)
robust-feasible = Можливий пакет існує в { $share } спроб.
robust-blocked = Як часто кожне питання було заблоковане
robust-share = Частка спроб
robust-nash = Пакети, що найчастіше були пакетом Неша
robust-package = Пакет
robust-nash-column = Неш
robust-frontier = На межі
robust-feasible-column = Можливий
robust-distinct = Різних пакетів, що були на межі Парето хоча б в одній спробі: { $count }.

## The frontier

frontier-heading = Межа
frontier-intro = Виберіть дві або три сторони: графік показує оптимальні за Парето для всього столу угоди так, як їх бачать ці сторони, які з них ефективні лише для них і де лежать розв'язки торгу. Підказка кожної точки називає її пакет.
frontier-parties = Сторони
frontier-plot = Побудувати
frontier-pick = Або виберіть ефективну точку
frontier-select-help = Виберіть точку графіка, щоб побачити її пакет і що він дає кожній із цих сторін.
frontier-efficient-count = { $efficient } з { $total } різних точок ефективні для: { $parties }.
frontier-data = Дані
frontier-failed = Не вдалося обчислити межу.
frontier-efficient = Ефективна для: { $parties }
frontier-whole = На межі всього столу
frontier-one-of = один із рівноцінних для них пакетів (усього їх { $count })
frontier-walks-away = виходить нижче { $value }

## The timeline

timeline-title = Хронологія
timeline-from = Від
timeline-to = До
timeline-step = Крок
timeline-month = місяць
timeline-quarter = квартал
timeline-show = Показати
timeline-as-table = Те саме таблицею
timeline-date = Дата
timeline-known = Відомі позиції
timeline-reading-column = { $reading }: можливі пакети / найменше поступок

## The rehearsal

sim-title = Репетиція переговорів
sim-intro = Агенти торгуються за сторони щодо пакетів, які залишає відкритими Стіл переговорів, за кожним протоколом. Виберіть протоколи, агента для кожної сторони, кінцевий строк у раундах і зерно, а тоді почніть: репетиція йде у фоні, і ця сторінка покаже її, коли вона завершиться.
sim-about = Агенти торгуються за сторони щодо пакетів, які залишає відкритими прочитання «{ $reading }» (пакетів: { $packages }; множина Парето: { $pareto }).
sim-protocols = Протоколи
sim-agents = Агенти
sim-agents-help = За кожну сторону торгується один агент.
sim-agents-explained = Що робить кожен агент
sim-axes = Сторони на осях графіка
sim-axis-x = По горизонталі
sim-axis-y = По вертикалі
sim-rounds = Раунди
sim-seed = Зерно
sim-rehearse = Почати репетицію
sim-queued = Репетиція в черзі за іншими; ця сторінка покаже її, коли вона завершиться.
sim-running = Репетиція триває; ця сторінка покаже її, коли вона завершиться.
sim-reload = Оновити
sim-gets = { $party } отримує { $utility }
sim-summary-agreement = Угода в раунді { $round }: { $gets }.
sim-summary-none = Угоди немає: { $end }; раундів: { $rounds }.
sim-walked-away = { $party } виходить з переговорів.
sim-outcome = Угода в раунді { $round } з { $deadline }; пропозицій: { $offers }. Відстань до множини Парето { $pareto }, до точки Неша { $nash }.
sim-no-agreement = Угоди немає ({ $end }). Раундів: { $rounds }, пропозицій: { $offers }.
sim-agreement = Угода
sim-welfare = добробут
sim-offers-table = Пропозиції таблицею
sim-round = Раунд
sim-by = Хто
sim-move = Хід
protocol-saop = Почергові пропозиції
protocol-stacked = Одна чинна пропозиція
protocol-single-text = Єдиний переговорний текст
protocol-about-saop = Сторони по черзі роблять пропозицію, яка обходить увесь стіл; інші приймають її або відповідають своєю.
protocol-about-stacked = Водночас чинна лише одна пропозиція: кожна сторона по черзі приймає її або замінює своєю.
protocol-about-single-text = Посередник складає один текст і виправляє його після заперечень кожної сторони, доки всі його не приймуть.
agent-boulware = Боулвер
agent-linear = Лінійний
agent-conceder = Поступливий
agent-hardheaded = Непоступливий
agent-tft = Око за око
agent-tft-relative = Відносне «око за око»
agent-micro = MiCRO
agent-random = Випадковий
agent-about-boulware = Поступається пізно: тримається біля свого найкращого пакета, доки не наблизиться кінцевий строк.
agent-about-linear = Поступається рівномірно: від свого найкращого пакета до свого резервного значення на кінцевий строк.
agent-about-conceder = Поступається рано, далі повільно.
agent-about-hardheaded = Ніколи не поступається: пропонує і приймає лише свої найкращі пакети.
agent-about-tft = Відповідає на поступки інших поступками такої самої величини.
agent-about-tft-relative = Відповідає на поступки інших пропорційно тому, що в них ще лишалося поступитися.
agent-about-micro = Поступається на крок лише тоді, коли інші зробили стільки ж різних пропозицій.
agent-about-random = Пропонує і приймає на випадкових рівнях: для порівняння.
end-agreement = угода
end-deadline = минув кінцевий строк
end-walked_away = сторона вийшла з переговорів
end-no_text = немає тексту, прийнятного для всіх
action-offer = пропозиція
action-accept = прийняття
action-text = текст
action-object = заперечення
action-walk_away = виходить

## The position form

position-title-add = Додати позицію
position-title-correct = Виправити позицію
position-new = Нова датована заява з джерелом про позицію сторони щодо одного варіанта.
position-correcting = Виправлення позиції в рядку { $line }.
position-checks = Збереження перевіряє весь сценарій так, як це робить
position-checks-rest = , і зберігає його як нову версію; нічого не перезаписується.
position-other-errors = Сценарій не збережено: перевірка знайшла такі проблеми в інших його місцях.
position-party = Сторона
position-option = Варіант
position-stance = Позиція
position-date = Дата заяви
position-precision = Точність дати
position-source = Джерело
position-new-source = Або нове джерело
position-new-source-id = Ідентифікатор
position-new-source-publication = Видання
position-new-source-url = Вебадреса
position-quote = Цитата (не більше { $max } слів)
position-quote-kind = Вид цитати
position-basis = Підстава
position-qualifier = Застереження
position-qualifier-none = немає
position-save = Перевірити і зберегти
position-choose-party = — виберіть сторону —
position-choose-option = — виберіть варіант —
position-choose-stance = — виберіть позицію —
position-choose-source = — виберіть джерело —
position-new-source-choice = нове джерело, описане нижче
position-expected = очікувалося: { $what }
position-error-party = Виберіть сторону, чия це позиція.
position-error-option = Виберіть варіант, якого стосується заява.
position-error-stance = Виберіть позицію.
position-error-date = Вкажіть день заяви: виберіть його в календарі.
position-error-source = Виберіть джерело або опишіть нове нижче.
position-error-new-source = Ви вибрали нове джерело: дайте йому ідентифікатор нижче.
position-error-quote-empty = Наведіть цитату.
position-error-quote-long = У цитаті { $words } слів; дозволено не більше { $max }. Скоротіть її або наведіть коротший уривок.
quote-kind-direct = пряма цитата
quote-kind-paraphrase = переказ
quote-kind-document_text = текст документа
quote-kind-translated = переклад
basis-explicit = явна

## The scenario list and the versions

scenarios-title = Сценарії
scenarios-none = Жодного сценарію ще немає.
scenarios-slug = Сценарій
scenarios-name = Назва
scenarios-version = Версія
scenarios-counts = Сторони, питання, позиції
scenarios-pages = Сторінки
scenarios-analysis = аналіз
scenarios-timeline = хронологія
scenarios-add-position = додати позицію
scenarios-preferences = конфіденційні вподобання
versions-title = Версії сценарію { $scenario }
versions-count = { $count ->
    [one] має { $count } версію.
    [few] має { $count } версії.
    [many] має { $count } версій.
   *[other] має { $count } версії.
}
versions-analysis = Його аналіз
versions-positions = його позиції
versions-nav = Версії
versions-version = версія { $version }
versions-changed = Версія { $version }: що змінилося після версії { $previous }
versions-first = Версія { $version }: перша
versions-lines = Рядків додано: { $added }, вилучено: { $removed }.
versions-download = Завантажте обидві версії та порівняйте їх власними засобами
versions-text = Текст цієї версії

## The draft agreement

draft-title = Проєкт угоди
draft-package = Пакет
draft-draft = Скласти проєкт
draft-package-nash = Неша
draft-package-maximin = максиміну
draft-package-ks = Калаї — Смородинського
draft-package-utilitarian = утилітарного
draft-intro = Проєкт із пакета { $package }, перший день — { $day }:
draft-not-the-agreement = Це вихідний текст для посередника, а не угода, за якою стежить Watch; та угода —
draft-agreement-on-file = угода в записах
draft-no-commitment = Немає зобов'язання, яке можна перевірити за журналом.
draft-must = { $obligor } — зобов'язання: { $action }
draft-must-not = { $obligor } — заборона: { $action }
draft-within = { $days ->
    [one] протягом { $days } дня
   *[other] протягом { $days } днів
}
draft-as-toml = Проєкт як TOML
draft-download = Завантажити TOML
draft-check = перевірте його командою

## A party's confidential preferences

prefs-title = Конфіденційні вподобання
prefs-stale = Ваше останнє подання (номер { $id }) більше не стосується цієї версії сценарію.
prefs-stale-rest = Аналіз посередника його не враховує і натомість використовує для сторони { $party } власні числа сценарію. Чому:
prefs-again = Заповніть форму нижче і подайте знову.
prefs-applies = Ваше останнє подання стосується цієї версії і враховується в аналізі посередника.
prefs-of = Конфіденційні вподобання:
prefs-who = Подання можуть читати лише посередники, і використовує його лише аналіз посередника; жодна інша сторона не бачить ваших чисел. Кожне подання замінює в цьому аналізі ваше попереднє.
prefs-switch = Перейти
prefs-reservation = Резервне значення (від 0 до 1): пакет, що важить для вас менше, гірший за відсутність домовленості
prefs-weight = Вага цього питання (у будь-якому масштабі; частки показано нижче)
prefs-submit = Подати конфіденційно
prefs-preview = Попередній перегляд: ваші власні корисності
prefs-preview-help = Порожні корисності замінюються корисністю вашої поточної публічної позиції (показано сірим). Ваги нормуються до суми 1.
prefs-th-share = Частка ваги
prefs-th-best = Найкращий для вас варіант
prefs-th-nash = У публічному пакеті Неша
prefs-worth = Публічний пакет Неша важив би для вас { $nash }; ваше резервне значення — { $reservation }
prefs-walk-away = вам вигідніше вийти з переговорів
prefs-no-nash = Публічний аналіз не має пакета Неша для порівняння.
prefs-submitted = Подано від імені сторони { $party } (подання { $id }). Прочитати його можуть лише посередники.
prefs-not-submitted = Не подано

## The timeline chart

timeline-svg-title = Хронологія Truce: { $file }
timeline-svg-description = Можливі пакети, заблоковані питання і найменше поступок за кожним прочитанням, від { $from } до { $to }, сторони: { $parties }.
timeline-svg-heading = Як змінювався простір можливих угод · { $file }
timeline-svg-subheading = Сторони: { $parties } · одна точка на дату, позиції такі, якими вони були відомі на ту дату
timeline-svg-feasible = Можливі пакети (логарифмічна шкала; 0 = домовленості немає)
timeline-svg-blocked = Заблоковані питання
timeline-svg-concessions = Найменше поступок, що відкривають можливість домовитися
timeline-svg-tooltip = { $date } · { $reading }: можливих пакетів { $feasible }, заблокованих питань { $blocked }, найменше поступок { $concessions }
timeline-svg-months = січ. лют. бер. квіт. трав. черв. лип. серп. вер. жовт. лист. груд.
sim-mediator = посередник

## A new scenario

scenarios-new = Новий сценарій або нова версія
scenarios-new-help = Імпортуйте теку домену або вставте чи напишіть TOML сценарію (формат описано в docs/table.md;
scenarios-new-help-rest = перетворює на нього теку Genius або GeniusWeb). Збереження наявного ідентифікатора додає версію.
scenarios-import = Імпорт домену Genius або GeniusWeb
scenarios-slug-label = Ідентифікатор
scenarios-import-files = Файли теки (домен і по одному профілю на сторону; .xml або .json)
scenarios-import-profiles = Для набору профілів — сторони за столом (номери або назви файлів через кому)
scenarios-import-button = Імпортувати
scenarios-write = Напишіть або вставте сценарій
scenarios-not-saved = Сценарій не збережено: { $count ->
    [one] { $count } помилка
    [few] { $count } помилки
    [many] { $count } помилок
   *[other] { $count } помилки
}. Виправте їх і збережіть знову.
scenarios-imported = Імпортовано як версію { $version } сценарію { $slug }: сторін — { $parties }, питань — { $issues }.
scenarios-not-imported = Не імпортовано

## The frontier chart

frontier-svg-title = Межа Парето для { $parties }
frontier-svg-description = Угод на множині Парето всього столу за прочитання «{ $reading }»: { $points }, з них ефективних лише для { $parties }: { $efficient }; з угодами Неша, Калаї — Смородинського, максиміну й утилітарною та точкою незгоди.
frontier-svg-heading = Межа · { $parties } · прочитання «{ $reading }»
frontier-svg-subheading = Оптимальних за Парето угод для всього столу: { $pareto } (тут різних: { $points }); синім — { $efficient } ефективних лише для { $parties }
frontier-svg-axis = корисність для { $party }
frontier-svg-tooltip = { $utilities }{ $efficient } · пакетів: { $packages }, наприклад: { $package }
frontier-svg-efficient = ефективна для цих сторін
frontier-svg-disagreement = Точка незгоди: { $a } { $x }, { $b } { $y }
frontier-svg-whole = межа всього столу
frontier-svg-no-deal = без домовленості
frontier-svg-nash = Неш
frontier-svg-ks = Калаї — Смородинський
frontier-svg-maximin = Максимін
frontier-svg-utilitarian = Утилітарна
version-reason = Чому ця версія (необов'язково, зберігається з нею)
version-note = збережено: { $who }, { $when }
version-time-unknown = час не записано

## Sources anyone can check (issue 25)

stances-extract = Скласти чернетки позицій зі статті
cite-source-page = Джерело, його архівний текст і кожна цитата з нього
quote-found = знайдено в архівній копії { $hash }, рядок { $line }
quote-near = частковий збіг в архівній копії { $hash }, рядок { $line }:
quote-not-found = не знайдено в архівній копії { $hash }
quote-not-found-closest = не знайдено в архівній копії { $hash }; найсхожіший уривок, рядок { $line }:
quote-no-archive = архівної копії немає
language-en = англійська
language-uk = українська
language-ru = російська
source-title = Джерело { $source }
source-intro = Джерело в тому вигляді, як його описано в сценарії, текст його архівного файлу та всі цитати з нього, звірені з цим текстом.
source-back = Назад до позицій
source-id = Ідентифікатор
source-publication = Видання
source-article = Заголовок
source-url = Вебадреса
source-date = Опубліковано
source-retrieved = Дата звернення
source-language = Мова
source-media-type = Тип файлу
source-sha256 = SHA-256 файлу
source-unknown = не записано
source-download = Завантажити архівну копію файлу
source-download-note = (файл завжди завантажується для збереження й ніколи не відкривається як сторінка; перевірте його за SHA-256)
source-citations = Цитати з цього джерела
source-no-citations = Жодна позиція не цитує це джерело.
source-text = Архівний текст
source-text-not-held = Файл цього джерела зазначено в сценарії, але на цьому сервері його немає: збережіть файл в архіві, щоб побачити його текст.
source-not-archived = Це джерело не збережено в архіві: файлу немає, тож жодної цитати з нього перевірити не можна.
source-cited-process = позиція щодо процесу
source-cited-constraint = обмеження
source-cited-position = позиція
extract-title = Скласти чернетки позицій зі статті
extract-intro = Вставте статтю або виберіть файл, щоб прочитати його тут; викладені в ній позиції буде складено в термінах сценарію. Нічого не зберігається: прийміть запропоновану позицію, щоб відкрити заповнену нею форму позиції, перевірте її та збережіть там.
extract-article = Текст статті
extract-file = Або виберіть текстовий чи HTML-файл
extract-file-read = Текст файлу { $name } вставлено в текстове поле.
extract-file-unread = Файл { $name } не вдалося прочитати як текст.
extract-dropped = Відхилено; залишилося { $left }.
extract-date = Дата заяв
extract-source = Джерело статті
extract-source-none = не вибрано (виберіть у формі)
extract-language = Мова
extract-language-auto = визначити за літерами тексту
extract-submit = Скласти чернетки
extract-refused = Статтю не прочитано:
extract-found = { $count ->
    [one] { $count } запропонована позиція
    [few] { $count } запропоновані позиції
    [many] { $count } запропонованих позицій
   *[other] { $count } запропоновані позиції
}
extract-none = Позицій не знайдено: жодне речення не називає водночас сторону, варіант і її ставлення до нього.
extract-review = Звірте кожну зі статтею: прийміть її у форму позиції або відхиліть.
extract-accept = Прийняти
extract-drop = Відхилити
