"""Privacy rights: a person's data export ("My data") and account erasure.

This feature sits above every other one: it reads what each feature holds about a person.
"""
