# Словник спостережень: класи, способи, озброєння, стани перевірки. Ідентифікатори — журналу;
# тут їхні слова. Терміни, що мають політичне значення, — за docs/glossary.md.

class-explosion = вибух
class-projectile = снаряд
class-burst = черга пострілів
class-shot = постріл
class-flare = освітлювальна ракета
class-weapon_sighting = виявлене озброєння
class-access_restriction = обмеження доступу
class-damage = пошкодження
class-casualty = жертва
class-patrol = патруль

sensor-saw = побачено
sensor-heard = почуто
sensor-camera = камера
sensor-uav = безпілотний літальний апарат
sensor-crater_analysis = аналіз вирви

weapon-artillery = артилерія
weapon-mortar = міномет
weapon-mlrs = реактивна система залпового вогню (РСЗВ)
weapon-heavy_mlrs = важка РСЗВ
weapon-tochka = тактична ракета «Точка»
weapon-tank = танк
weapon-small_arms = стрілецька зброя

state-received = отримано
state-under_review = на розгляді
state-corroborated = підтверджено
state-unverifiable = неможливо перевірити
state-rejected = відхилено
state-disputed = оскаржено
