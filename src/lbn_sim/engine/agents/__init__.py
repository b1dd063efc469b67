"""The institutions as Mesa agents, each deciding in its own ``step()``.

They act once a year in this order (:meth:`lbn_sim.engine.model.LBNModel.step`):

1. :class:`~.government.CentralGovernment` settles the local authorities' core
   settlement and ring-fenced grants, and uprates benefits;
2. :class:`~.authorities.LocalAuthorities` keep reserves, pass the rest to their wards and
   choose its split across services under budget pressure;
3. :class:`~.programmes.Programmes` fund this year's round of national programmes and
   spend what the delivery lags allow of every award;
4. :class:`~.charities.Charities` raise money where community capacity is;
5. :class:`~.investors.PrivateInvestors` invest where skills, links and demand are;
6. :class:`~.ward_services.WardServices` spend what reached each ward, further where
   communities decide (local power): the year's inputs to the core.

Each writes its decision into the model's :class:`~lbn_sim.engine.year.Year` (``model.now``)
and records its money in the ledger, in whole pence. Those acting on many wards or
authorities decide for all of them at once (their arrays are indexed by ward or authority).
"""
