"""Each role's first page: what a visitor, a participant, a lead and a coordinator come to do.

The top of the feature stack: it reads from every feature and nothing imports it.
"""
