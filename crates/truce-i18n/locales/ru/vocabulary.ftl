# Словарь наблюдений: классы, способы, вооружение, состояния проверки. Идентификаторы — журнала;
# здесь их слова. Термины, несущие политический смысл, — по docs/glossary.md.

class-explosion = взрыв
class-projectile = снаряд
class-burst = очередь выстрелов
class-shot = выстрел
class-flare = осветительная ракета
class-weapon_sighting = обнаруженное вооружение
class-access_restriction = ограничение доступа
class-damage = повреждение
class-casualty = жертва
class-patrol = патруль

sensor-saw = увидено
sensor-heard = услышано
sensor-camera = камера
sensor-uav = беспилотный летательный аппарат
sensor-crater_analysis = анализ воронки

weapon-artillery = артиллерия
weapon-mortar = миномёт
weapon-mlrs = реактивная система залпового огня (РСЗО)
weapon-heavy_mlrs = тяжёлая РСЗО
weapon-tochka = тактическая ракета «Точка»
weapon-tank = танк
weapon-small_arms = стрелковое оружие

state-received = получено
state-under_review = на рассмотрении
state-corroborated = подтверждено
state-unverifiable = невозможно проверить
state-rejected = отклонено
state-disputed = оспорено
