"""The ten mechanisms of DESIGN.md, one module each: its rule, the parameters it reads
(declared in :mod:`lbn_sim.engine.parameters`) and its switch (``mechanisms.<name>``).

========================= ============================================================
module                    rule
========================= ============================================================
``capacity_trap``         who wins competitive pots; 'least first' allocation
``austerity_gradient``    the LA settlement's change by deprivation
``social_infrastructure`` community takeover, community capacity, civic effects
``connectivity``          reach of jobs and services, neighbours' services, agglomeration
``cost_of_living``        prices, price shocks and debt advice in financial stress
``education_skills``      adult education and schools in skills
``local_power``           how much further a pound goes where communities decide
``long_term_money``       compounding and legacy of unbroken community funding
``out_migration``         who moves away, and who moves in
``resilience``            how hard shocks hit and how fast their scar heals
========================= ============================================================
"""
