# The observation vocabulary: classes, sensors, weapons, verification states. The ids are the log's;
# these are their words. Terms that carry politics follow docs/glossary.md.

class-explosion = explosion
class-projectile = projectile
class-burst = burst of fire
class-shot = shot
class-flare = flare
class-weapon_sighting = weapon sighting
class-access_restriction = access restriction
class-damage = damage
class-casualty = casualty
class-patrol = patrol

sensor-saw = seen
sensor-heard = heard
sensor-camera = camera
sensor-uav = unmanned aerial vehicle
sensor-crater_analysis = crater analysis

weapon-artillery = artillery
weapon-mortar = mortar
weapon-mlrs = multiple launch rocket system (MLRS)
weapon-heavy_mlrs = heavy MLRS
weapon-tochka = Tochka tactical missile
weapon-tank = tank
weapon-small_arms = small arms

state-received = received
state-under_review = under review
state-corroborated = corroborated
state-unverifiable = unverifiable
state-rejected = rejected
state-disputed = disputed
