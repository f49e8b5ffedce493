"""Seasons (适宜栽植期): each province's dispatch windows for bare-root seedlings, and what an order outside them does.

`windows` is the pure rule (in the window or not, the next opening, the reserved deadline), `datafile` reads
ship_windows.csv, `guarantee` holds the out-of-season clause, `current` answers for the running app.
"""
