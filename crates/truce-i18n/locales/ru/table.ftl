# The Table's pages: stances, analysis, timeline, rehearsal, scenarios and positions.
# Terms that carry politics follow docs/glossary.md.

# The timeline: the period before the first statement on file.
timeline-nothing-on-file = Ещё ничего не зафиксировано
timeline-nothing-on-file-help = затенённые даты предшествуют первому заявлению в записях, поэтому каждый пакет кажется открытым лишь потому, что ни одна сторона ещё не высказалась.

## Shared words

th-issue = Вопрос
th-option = Вариант
th-reading = Прочтение
none = нет
list-or = { " или " }
of-total = { $part } из { $total }
rule = Правило

## Stances, readings, verdicts and the other closed vocabularies

stance-demanded = требование
stance-acceptable = приемлемо
stance-unknown = неизвестно
stance-opposed = против
stance-red_line = красная линия
reading-red_lines = красные линии
reading-strict = строгое
reading-pessimistic = пессимистическое
reading-title-red_lines = Прочтение «красные линии»
reading-title-strict = Строгое прочтение
reading-title-pessimistic = Пессимистическое прочтение
reading-about-red_lines = Здесь жёсткими считаются только красные линии.
reading-about-strict = Здесь красные линии жёсткие, и текущие требования каждой стороны по вопросу должны быть выполнены.
reading-about-pessimistic = Здесь красные линии жёсткие, а каждая позиция, записанная как неизвестная, считается красной линией.
verdict-meets_demand = отвечает её требованию
verdict-accepted = приемлемо
verdict-no_position = позиции нет
verdict-unknown = неизвестно
verdict-crosses_opposition = вопреки её возражению
verdict-crosses_red_line = пересекает её красную линию
precision-day = точный день
precision-month = только месяц
precision-year = только год
qualifier-conditional = при условии
qualifier-proposed_in_draft = предложено в проекте
qualifier-reported_via_sources = по сообщениям источников
qualifier-reported_by_counterpart = по сообщению другой стороны
qualifier-only_after_agreement = только после соглашения
qualifier-timing = о сроках
qualifier-under_consideration = на рассмотрении
qualifier-no_consensus = без консенсуса
basis-inferred = выведено

## A cited position

cite-on = по
cite-line = строка { $line }
tag-stale = устарело
    .title = Сделано более чем за год до даты анализа
quote-paraphrase = пересказ
quote-translated = перевод
quote-document = текст документа

## The stance matrix

stances-title = Позиции: { $scenario }
stances-add-position = Добавить позицию
stances-versions = Версии и изменения
stances-version = Версия { $version } сценария
stances-intro = Текущая позиция каждой стороны по каждому варианту. Выберите ячейку, чтобы увидеть позицию, её дату и цитируемый источник.
stances-colours = Цвета:
stances-caption = Позиции по сторонам и вариантам
stances-correct = исправить

## The analysis

analysis-title = Анализ
analysis-confidential-with = С конфиденциальными представлениями: { $parties }.
analysis-confidential-none = Ни одно конфиденциальное представление не применяется: это анализ по публичным позициям.
analysis-confidential-only = Этот анализ видят только посредники.
analysis-public-link = Анализ по публичным позициям
analysis-not-counted = Не учтено: { $count ->
    [one] { $count } представление больше не относится
    [few] { $count } представления больше не относятся
    [many] { $count } представлений больше не относятся
   *[other] { $count } представления больше не относятся
} к этой версии сценария.
analysis-not-counted-rest = Для этих сторон анализ использует собственные числа сценария, пока они не отправят свои данные снова.
analysis-submission = представление { $id }
analysis-from-public = По публичным позициям.
analysis-with-confidential = С конфиденциальными представлениями сторон
analysis-mediators-only = только для посредников
analysis-replay = Воспроизвести позиции, известные на
analysis-replay-empty = пусто: все позиции в записях
what-if-summary = А что если… отключить жёсткие ограничения (отключено: { $count })
what-if-help = Каждый флажок — жёсткое ограничение одной стороны. Отметьте те, от которых следует отказаться, и проанализируйте снова: каждое прочтение будет пересчитано без них.
analysis-analyse = Анализировать
analysis-reset = Сбросить
analysis-warning = Предупреждение
what-if-banner = А что если
what-if-banner-rest = эти жёсткие ограничения отключены в каждом прочтении:
relax-red-line = { $party } отказывается от своей красной линии по «{ $option }»
relax-unknown = неизвестная позиция стороны { $party } по «{ $option }» оказывается не красной линией
relax-demand = { $party } отказывается от своего требования по «{ $issue }» (требование: { $options })
relax-cross = { $party } отказывается от своего ограничения { $rule }
analysis-counts = Вопросов: { $issues }, вариантов: { $options }, позиций: { $known } из { $positions }
analysis-known-on = известных на { $date }
analysis-on-file = в записях
analysis-parties = стороны за столом
analysis-stale-rule = Заявления, сделанные более чем за { $days } дней до { $date }, помечены как
analysis-stale-rest = с тех пор сторона могла изменить позицию.
readings-caption = Что находит каждое прочтение
th-hard-constraints = Жёсткие ограничения
th-feasible = Возможные пакеты
th-blocked = Заблокированные вопросы
th-fewest = Наименьшее число уступок
th-pareto = Множество Парето
reading-feasible = Пакетов, соблюдающих все жёсткие ограничения ({ $constraints }): { $feasible } из { $total }.
reading-infeasible = Ни один пакет не соблюдает все жёсткие ограничения ({ $constraints }):
reading-blocked = { $count ->
    [one] { $count } вопрос заблокирован
    [few] { $count } вопроса заблокированы
    [many] { $count } вопросов заблокированы
   *[other] { $count } вопроса заблокированы
}
reading-assumed = Неизвестные позиции, считающиеся красными линиями
concessions-at-fewest = Наименьшее число уступок, открывающее возможность договориться:
concessions-count = { $count ->
    [one] { $count } уступка
    [few] { $count } уступки
    [many] { $count } уступок
   *[other] { $count } уступки
}
concessions-ways = — минимальных способов сделать это: { $count } (по одной альтернативе на каждый заблокированный вопрос, в сочетании).
concessions-blocked = Заблокировано
alternative-explained = Если { $relax }, это открывает { $opens }.
alternative-size = { $concessions ->
    [one] { $concessions } уступка
    [few] { $concessions } уступки
    [many] { $concessions } уступок
   *[other] { $concessions } уступки
}, { $parties ->
    [one] { $parties } сторона
    [few] { $parties } стороны
    [many] { $parties } сторон
   *[other] { $parties } стороны
}
coalitions = Коалиции
coalitions-no-reservation = Жёсткие ограничения всех сторон за столом можно выполнить вместе, но ни один такой пакет не обеспечивает каждой стороне её резервного значения.
coalitions-all = В прочтении «{ $reading }» все стороны за столом могут договориться.
coalitions-largest = Наибольшие группы, которые могут договориться при нынешнем положении:
coalitions-smallest = Наименьшие группы, которые не могут:
bargaining = Решения торга
bargaining-no-reservation = Ни один возможный пакет не даёт каждой стороне хотя бы её резервного значения: при любом из них какой-то стороне выгоднее выйти, так что соглашения, приемлемого для всех, нет.
bargaining-pareto = Профилей полезности, оптимальных по Парето среди возможных пакетов: { $count }.
package-nash = Пакет Нэша
package-maximin = Пакет максимина
package-ks = Пакет Калаи — Смородинского
package-ks-genius = Пакет Калаи — Смородинского (Genius)
package-utilitarian = Утилитарный пакет
score-nash = произведение Нэша
score-maximin = наименьшая полезность
score-ks = разброс
score-ks-genius = сумма разностей
score-utilitarian = сумма полезностей
th-equally-good = Так же хорошо
account-utility = полезность { $utility }
account-unmet-demand = невыполненное требование
analysis-draft = От пакета к обязательствам
analysis-draft-link = составить проект соглашения из пакета Нэша
analysis-draft-others = или из пакета максимина, Калаи — Смородинского либо утилитарного
analysis-same-document = Тот же документ
analysis-text = текст
analysis-command-line = в командной строке

## Robustness

robust-heading = Устойчивость
robust-intro = Какая часть ответа выдерживает неизвестное: каждая попытка с заданной вероятностью считает каждую неизвестную позицию красной линией, даёт сторонам случайные веса там, где их нет, и заново вычисляет возможность и пакет Нэша (прочтение «красные линии», все позиции в записях). Расчёт идёт в фоне, а эта страница показывает его ход.
robust-draws = Попытки
robust-seed = Зерно
robust-unknown = Вероятность, что неизвестная позиция — красная линия
robust-run = Запустить
robust-progress = Выполненные попытки устойчивости
robust-starting = Начинаем…
robust-progress-text = { $done } из { $draws } попыток
robust-done = Выполнено попыток: { $draws } (зерно { $seed }).
robust-stopped = Остановлено
robust-method = Каждая попытка
robust-method-text = прочтение «красные линии»; каждая неизвестная позиция — красная линия с вероятностью { $p }, иначе её полезность равномерно распределена между полезностями «против» и «приемлемо» для стороны; стороны без явных весов получают веса вопросов из распределения Дирихле(1)
robust-feasible = Возможный пакет существует в { $share } попыток.
robust-blocked = Как часто каждый вопрос был заблокирован
robust-share = Доля попыток
robust-nash = Пакеты, чаще всего бывшие пакетом Нэша
robust-package = Пакет
robust-nash-column = Нэш
robust-frontier = На границе
robust-feasible-column = Возможен
robust-distinct = Разных пакетов, бывших на границе Парето хотя бы в одной попытке: { $count }.

## The frontier

frontier-heading = Граница
frontier-intro = Выберите две или три стороны: график показывает оптимальные по Парето для всего стола сделки так, как их видят эти стороны, какие из них эффективны только для них и где лежат решения торга. Подсказка каждой точки называет её пакет.
frontier-parties = Стороны
frontier-plot = Построить
frontier-pick = Или выберите эффективную точку
frontier-select-help = Выберите точку графика, чтобы увидеть её пакет и что он даёт каждой из этих сторон.
frontier-efficient-count = { $efficient } из { $total } различных точек эффективны для: { $parties }.
frontier-data = Данные
frontier-failed = Не удалось вычислить границу.
frontier-efficient = Эффективна для: { $parties }
frontier-whole = На границе всего стола
frontier-one-of = один из равноценных для них пакетов (всего их { $count })
frontier-walks-away = выходит ниже { $value }

## The timeline

timeline-title = Хронология
timeline-from = С
timeline-to = По
timeline-step = Шаг
timeline-month = месяц
timeline-quarter = квартал
timeline-show = Показать
timeline-as-table = То же таблицей
timeline-date = Дата
timeline-known = Известные позиции
timeline-reading-column = { $reading }: возможные пакеты / наименьшее число уступок

## The rehearsal

sim-title = Репетиция переговоров
sim-intro = Агенты торгуются за стороны о пакетах, которые оставляет открытыми Стол переговоров, по каждому протоколу. Выберите протоколы, агента для каждой стороны, крайний срок в раундах и зерно, а затем начните: репетиция идёт в фоне, и эта страница покажет её, когда она завершится.
sim-about = Агенты торгуются за стороны о пакетах, которые оставляет открытыми прочтение «{ $reading }» (пакетов: { $packages }; множество Парето: { $pareto }).
sim-protocols = Протоколы
sim-agents = Агенты
sim-agents-help = За каждую сторону торгуется один агент.
sim-agents-explained = Что делает каждый агент
sim-axes = Стороны на осях графика
sim-axis-x = По горизонтали
sim-axis-y = По вертикали
sim-rounds = Раунды
sim-seed = Зерно
sim-rehearse = Начать репетицию
sim-queued = Репетиция в очереди за другими; эта страница покажет её, когда она завершится.
sim-running = Репетиция идёт; эта страница покажет её, когда она завершится.
sim-reload = Обновить
sim-gets = { $party } получает { $utility }
sim-summary-agreement = Соглашение в раунде { $round }: { $gets }.
sim-summary-none = Соглашения нет: { $end }; раундов: { $rounds }.
sim-walked-away = { $party } выходит из переговоров.
sim-outcome = Соглашение в раунде { $round } из { $deadline }; предложений: { $offers }. Расстояние до множества Парето { $pareto }, до точки Нэша { $nash }.
sim-no-agreement = Соглашения нет ({ $end }). Раундов: { $rounds }, предложений: { $offers }.
sim-agreement = Соглашение
sim-welfare = благосостояние
sim-offers-table = Предложения таблицей
sim-round = Раунд
sim-by = Кто
sim-move = Ход
protocol-saop = Поочерёдные предложения
protocol-stacked = Одно действующее предложение
protocol-single-text = Единый переговорный текст
protocol-about-saop = Стороны по очереди делают предложение, которое обходит весь стол; остальные принимают его или отвечают своим.
protocol-about-stacked = Одновременно действует только одно предложение: каждая сторона по очереди принимает его или заменяет своим.
protocol-about-single-text = Посредник составляет один текст и исправляет его после возражений каждой стороны, пока все его не примут.
agent-boulware = Боулвер
agent-linear = Линейный
agent-conceder = Уступчивый
agent-hardheaded = Несговорчивый
agent-tft = Око за око
agent-tft-relative = Относительное «око за око»
agent-micro = MiCRO
agent-random = Случайный
agent-about-boulware = Уступает поздно: держится у своего лучшего пакета, пока не приблизится крайний срок.
agent-about-linear = Уступает равномерно: от своего лучшего пакета до своего резервного значения к крайнему сроку.
agent-about-conceder = Уступает рано, затем медленно.
agent-about-hardheaded = Никогда не уступает: предлагает и принимает только свои лучшие пакеты.
agent-about-tft = Отвечает на уступки других уступками той же величины.
agent-about-tft-relative = Отвечает на уступки других пропорционально тому, чем они ещё могли поступиться.
agent-about-micro = Уступает на шаг, только когда другие сделали столько же разных предложений.
agent-about-random = Предлагает и принимает на случайных уровнях: для сравнения.
end-agreement = соглашение
end-deadline = истёк крайний срок
end-walked_away = сторона вышла из переговоров
end-no_text = нет текста, приемлемого для всех
action-offer = предложение
action-accept = принятие
action-text = текст
action-object = возражение
action-walk_away = выходит

## The position form

position-title-add = Добавить позицию
position-title-correct = Исправить позицию
position-new = Новое датированное заявление с источником о позиции стороны по одному варианту.
position-correcting = Исправление позиции в строке { $line }.
position-checks = Сохранение проверяет весь сценарий так же, как
position-checks-rest = , и сохраняет его как новую версию; ничего не перезаписывается.
position-other-errors = Сценарий не сохранён: проверка нашла такие проблемы в других его местах.
position-party = Сторона
position-option = Вариант
position-stance = Позиция
position-date = Дата заявления
position-precision = Точность даты
position-source = Источник
position-new-source = Или новый источник
position-new-source-id = Идентификатор
position-new-source-publication = Издание
position-new-source-url = Веб-адрес
position-quote = Цитата (не более { $max } слов)
position-quote-kind = Вид цитаты
position-basis = Основание
position-qualifier = Оговорка
position-qualifier-none = нет
position-save = Проверить и сохранить
position-choose-party = — выберите сторону —
position-choose-option = — выберите вариант —
position-choose-stance = — выберите позицию —
position-choose-source = — выберите источник —
position-new-source-choice = новый источник, описанный ниже
position-expected = ожидалось: { $what }
position-error-party = Выберите сторону, чья это позиция.
position-error-option = Выберите вариант, к которому относится заявление.
position-error-stance = Выберите позицию.
position-error-date = Укажите день заявления: выберите его в календаре.
position-error-source = Выберите источник или опишите новый ниже.
position-error-new-source = Вы выбрали новый источник: дайте ему идентификатор ниже.
position-error-quote-empty = Приведите цитату.
position-error-quote-long = В цитате { $words } слов; допускается не более { $max }. Сократите её или приведите более короткий отрывок.
quote-kind-direct = прямая цитата
quote-kind-paraphrase = пересказ
quote-kind-document_text = текст документа
quote-kind-translated = перевод
basis-explicit = явное

## The scenario list and the versions

scenarios-title = Сценарии
scenarios-none = Ни одного сценария пока нет.
scenarios-slug = Сценарий
scenarios-name = Название
scenarios-version = Версия
scenarios-counts = Стороны, вопросы, позиции
scenarios-pages = Страницы
scenarios-analysis = анализ
scenarios-timeline = хронология
scenarios-add-position = добавить позицию
scenarios-preferences = конфиденциальные предпочтения
versions-title = Версии сценария { $scenario }
versions-count = { $count ->
    [one] имеет { $count } версию.
    [few] имеет { $count } версии.
    [many] имеет { $count } версий.
   *[other] имеет { $count } версии.
}
versions-analysis = Его анализ
versions-positions = его позиции
versions-nav = Версии
versions-version = версия { $version }
versions-changed = Версия { $version }: что изменилось после версии { $previous }
versions-first = Версия { $version }: первая
versions-lines = Строк добавлено: { $added }, удалено: { $removed }.
versions-download = Скачайте обе версии и сравните их своими средствами
versions-text = Текст этой версии

## The draft agreement

draft-title = Проект соглашения
draft-package = Пакет
draft-draft = Составить проект
draft-package-nash = Нэша
draft-package-maximin = максимина
draft-package-ks = Калаи — Смородинского
draft-package-utilitarian = утилитарного
draft-intro = Проект из пакета { $package }, первый день — { $day }:
draft-not-the-agreement = Это исходный текст для посредника, а не соглашение, за которым следит Watch; то соглашение —
draft-agreement-on-file = соглашение в записях
draft-no-commitment = Нет обязательства, которое можно проверить по журналу.
draft-must = { $obligor } — обязательство: { $action }
draft-must-not = { $obligor } — запрет: { $action }
draft-within = { $days ->
    [one] в течение { $days } дня
   *[other] в течение { $days } дней
}
draft-as-toml = Проект как TOML
draft-download = Скачать TOML
draft-check = проверьте его командой

## A party's confidential preferences

prefs-title = Конфиденциальные предпочтения
prefs-stale = Ваше последнее представление (номер { $id }) больше не относится к этой версии сценария.
prefs-stale-rest = Анализ посредника его не учитывает и вместо этого использует для стороны { $party } собственные числа сценария. Почему:
prefs-again = Заполните форму ниже и представьте снова.
prefs-applies = Ваше последнее представление относится к этой версии и учитывается в анализе посредника.
prefs-of = Конфиденциальные предпочтения:
prefs-who = Представление могут читать только посредники, и использует его только анализ посредника; ни одна другая сторона не видит ваших чисел. Каждое представление заменяет в этом анализе ваше предыдущее.
prefs-switch = Перейти
prefs-reservation = Резервное значение (от 0 до 1): пакет, который стоит для вас меньше, хуже отсутствия договорённости
prefs-weight = Вес этого вопроса (в любом масштабе; доли показаны ниже)
prefs-submit = Представить конфиденциально
prefs-preview = Предпросмотр: ваши собственные полезности
prefs-preview-help = Пустые полезности заменяются полезностью вашей текущей публичной позиции (показана серым). Веса нормируются к сумме 1.
prefs-th-share = Доля веса
prefs-th-best = Лучший для вас вариант
prefs-th-nash = В публичном пакете Нэша
prefs-worth = Публичный пакет Нэша стоил бы для вас { $nash }; ваше резервное значение — { $reservation }
prefs-walk-away = вам выгоднее выйти из переговоров
prefs-no-nash = В публичном анализе нет пакета Нэша для сравнения.
prefs-submitted = Отправлено от имени стороны { $party } (представление { $id }). Прочитать его могут только посредники.
prefs-not-submitted = Не представлено

## The timeline chart

timeline-svg-title = Хронология Truce: { $file }
timeline-svg-description = Возможные пакеты, заблокированные вопросы и наименьшее число уступок по каждому прочтению, с { $from } по { $to }, стороны: { $parties }.
timeline-svg-heading = Как менялось пространство возможных сделок · { $file }
timeline-svg-subheading = Стороны: { $parties } · одна точка на дату, позиции такие, какими они были известны на эту дату
timeline-svg-feasible = Возможные пакеты (логарифмическая шкала; 0 = договорённости нет)
timeline-svg-blocked = Заблокированные вопросы
timeline-svg-concessions = Наименьшее число уступок, открывающих возможность договориться
timeline-svg-tooltip = { $date } · { $reading }: возможных пакетов { $feasible }, заблокированных вопросов { $blocked }, наименьшее число уступок { $concessions }
timeline-svg-months = янв. февр. март апр. май июнь июль авг. сент. окт. нояб. дек.
sim-mediator = посредник

## A new scenario

scenarios-new = Новый сценарий или новая версия
scenarios-new-help = Импортируйте папку домена или вставьте либо напишите TOML сценария (формат описан в docs/table.md;
scenarios-new-help-rest = превращает в него папку Genius или GeniusWeb). Сохранение существующего идентификатора добавляет версию.
scenarios-import = Импорт домена Genius или GeniusWeb
scenarios-slug-label = Идентификатор
scenarios-import-files = Файлы папки (домен и по одному профилю на сторону; .xml или .json)
scenarios-import-profiles = Для набора профилей — стороны за столом (номера или имена файлов через запятую)
scenarios-import-button = Импортировать
scenarios-write = Напишите или вставьте сценарий
scenarios-not-saved = Сценарий не сохранён: { $count ->
    [one] { $count } ошибка
    [few] { $count } ошибки
    [many] { $count } ошибок
   *[other] { $count } ошибки
}. Исправьте их и сохраните снова.
scenarios-imported = Импортировано как версия { $version } сценария { $slug }: сторон — { $parties }, вопросов — { $issues }.
scenarios-not-imported = Не импортировано

## The frontier chart

frontier-svg-title = Граница Парето для { $parties }
frontier-svg-description = Сделок на множестве Парето всего стола в прочтении «{ $reading }»: { $points }, из них эффективных только для { $parties }: { $efficient }; со сделками Нэша, Калаи — Смородинского, максимина и утилитарной и точкой несогласия.
frontier-svg-heading = Граница · { $parties } · прочтение «{ $reading }»
frontier-svg-subheading = Оптимальных по Парето сделок для всего стола: { $pareto } (здесь различных: { $points }); синим — { $efficient } эффективных только для { $parties }
frontier-svg-axis = полезность для { $party }
frontier-svg-tooltip = { $utilities }{ $efficient } · пакетов: { $packages }, например: { $package }
frontier-svg-efficient = эффективна для этих сторон
frontier-svg-disagreement = Точка несогласия: { $a } { $x }, { $b } { $y }
frontier-svg-whole = граница всего стола
frontier-svg-no-deal = без договорённости
frontier-svg-nash = Нэш
frontier-svg-ks = Калаи — Смородинский
frontier-svg-maximin = Максимин
frontier-svg-utilitarian = Утилитарная
version-reason = Почему эта версия (необязательно, хранится с ней)
version-note = сохранено: { $who }, { $when }
version-time-unknown = время не записано

## Sources anyone can check (issue 25)

stances-extract = Составить черновики позиций по статье
cite-source-page = Источник, его архивный текст и каждая цитата из него
quote-found = найдено в архивной копии { $hash }, строка { $line }
quote-near = частичное совпадение в архивной копии { $hash }, строка { $line }:
quote-not-found = не найдено в архивной копии { $hash }
quote-not-found-closest = не найдено в архивной копии { $hash }; наиболее похожий отрывок, строка { $line }:
quote-no-archive = архивной копии нет
language-en = английский
language-uk = украинский
language-ru = русский
source-title = Источник { $source }
source-intro = Источник в том виде, в каком он описан в сценарии, текст его архивного файла и все цитаты из него, сверенные с этим текстом.
source-back = Назад к позициям
source-id = Идентификатор
source-publication = Издание
source-article = Заголовок
source-url = Веб-адрес
source-date = Опубликовано
source-retrieved = Дата обращения
source-language = Язык
source-media-type = Тип файла
source-sha256 = SHA-256 файла
source-unknown = не записано
source-download = Скачать архивную копию файла
source-download-note = (файл всегда скачивается для сохранения и никогда не открывается как страница; проверьте его по SHA-256)
source-citations = Цитаты из этого источника
source-no-citations = Ни одна позиция не цитирует этот источник.
source-text = Архивный текст
source-text-not-held = Файл этого источника указан в сценарии, но на этом сервере его нет: сохраните файл в архиве, чтобы увидеть его текст.
source-not-archived = Этот источник не сохранён в архиве: файла нет, поэтому ни одной цитаты из него проверить нельзя.
source-cited-process = позиция по процессу
source-cited-constraint = ограничение
source-cited-position = позиция
extract-title = Составить черновики позиций по статье
extract-intro = Вставьте статью или выберите файл, чтобы прочитать его здесь; изложенные в ней позиции будут составлены в терминах сценария. Ничего не сохраняется: примите предложенную позицию, чтобы открыть заполненную ею форму позиции, проверьте её и сохраните там.
extract-article = Текст статьи
extract-file = Или выберите текстовый или HTML-файл
extract-file-read = Текст файла { $name } вставлен в текстовое поле.
extract-file-unread = Файл { $name } не удалось прочитать как текст.
extract-dropped = Отклонено; осталось { $left }.
extract-date = Дата заявлений
extract-source = Источник статьи
extract-source-none = не выбран (выберите в форме)
extract-language = Язык
extract-language-auto = определить по буквам текста
extract-submit = Составить черновики
extract-refused = Статья не прочитана:
extract-found = { $count ->
    [one] { $count } позиция-кандидат
    [few] { $count } позиции-кандидата
    [many] { $count } позиций-кандидатов
   *[other] { $count } позиции-кандидата
}
extract-none = Позиций не найдено: ни одно предложение не называет одновременно сторону, вариант и её отношение к нему.
extract-review = Сверьте каждую со статьёй: примите её в форму позиции или отклоните.
extract-accept = Принять
extract-drop = Отклонить
