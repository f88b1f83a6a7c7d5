"""The sections of the PDF progress report, each built from the database into plain values (no ORM
objects) by ``renovation.reports.context``:

- ``compound``: the compound, the items (investment and works) and the stage timeline;
- ``decisions``: the residents' wishes (意愿征集) and the closed ballots (表决);
- ``works``: progress updates and photos, problems, site logs and inspections, contractors;
- ``party``: the temporary Party branch, its meetings, posts, tasks and activities;
- ``aftercare``: post-handover management (长效管理) and the new facilities;
- ``next_steps``: the milestones ahead and the steps the report proposes.
"""
