"""IAP2 Spectrum: levels, the design classifier, activity design profiles, promises, involvement.

Other features plug in without this package importing them: they register how to describe their
activities (`activities.register_activity_source`) and what counts as having taken part
(`involvement.register_participation_source`).
"""
