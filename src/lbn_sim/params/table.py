"""The registry's table: every behavioural number of the engine (see :mod:`lbn_sim.params`).

Each default is the value the engine held before the registry (byte-identical outputs).
A ``source`` either quotes the evidence read for the default and range (with its address) or
starts with "assumption" and gives the reasoning for the range. Constraints a sampler must
keep between parameters: ``takeover_capacity_low < takeover_capacity_high``,
``beta_mean_min < beta_mean_max``, ``initial_quality_min < initial_quality_max``,
``initial_capacity_min < initial_capacity_max``, ``ageing_rate_min < ageing_rate_max``,
``need_z_min < need_z_max``, ``settlement_factor_min < 1 < settlement_factor_max``.
"""

from lbn_sim.params.record import Parameter

REGISTRY: tuple[Parameter, ...] = (
    Parameter(
        name="job_loss",
        default=0.06,
        unit="1/yr",
        low=0.03,
        high=0.12,
        source=(
            "ONS Labour Force Survey two-quarter flows (16-64, one quarter, thousands): "
            "employment to unemployment 323, employment to inactivity 589, out of 31,553 in "
            "employment, i.e. 1.0% a quarter into unemployment and 2.9% a quarter out of work"
            " in all (gross, some return within the year; inactivity includes retirement and "
            "study) (https://www.ons.gov.uk/visualisations/dvc2685/fig2/index.html; earlier "
            "edition: 285 and 663 out of 31,089, "
            "https://cy.ons.gov.uk/visualisations/dvc1673/diagram/index.html). At an average "
            "worker's skills and health the rule gives about 0.05 a year, within the annual "
            "rate of leaving work these quarterly flows imply (about 4% a year into "
            "unemployment, more into inactivity); range from half to double."
        ),
        home="household_year",
        meaning=(
            "Yearly base probability that a working head loses work, before the skills and "
            "health factors and recessions."
        ),
    ),
    Parameter(
        name="network_effect",
        default=0.4,
        unit="dimensionless",
        low=0.1,
        high=0.8,
        source=(
            "Labour Force Survey (Labour Market Trends, August 2002, as reported): 'nearly "
            "one-third of people who secured jobs ... heard about the positions through "
            "existing employees', 30% of men and 25% of women through contacts "
            "(https://www.personneltoday.com/hr/contacts-secure-as-many-jobs-as-adverts/). "
            "Contacts are a main route into work, so a network premium of +/-20% between a "
            "fully engaged and an average household is plausible; the causal size is not "
            "measured, so the range runs from 0.1 (5%) to 0.8 (40%)."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Strength of civic participation in job finding: the finding factor is multiplied"
            " by 1 + network_effect * (participation - 0.5)."
        ),
    ),
    Parameter(
        name="connectivity_weight",
        default=0.5,
        unit="dimensionless",
        low=0.2,
        high=0.8,
        source=(
            "Campaign for Better Transport and Citizens Advice (2010), Transport, social "
            "equality and welfare to work: 'for a third of jobseekers the biggest obstacle is"
            " ... poor transport options' (https://paperzz.com/doc/8020176/transport--social-"
            "equality-and-welfare-to-work--october-2010). With weight 0.5 a ward with no "
            "links keeps half the reach of a fully linked one; range 0.2 to 0.8 (the figure "
            "is about a barrier, not an elasticity)."
        ),
        home="mechanisms.connectivity",
        meaning="Weight of transport and digital quality in a ward's reach of jobs and services.",
    ),
    Parameter(
        name="move_rate",
        default=0.05,
        unit="1/yr",
        low=0.03,
        high=0.08,
        source=(
            "ONS internal migration, England and Wales, year to June 2014: 'an estimated 2.85"
            " million residents moving between local authorities' (about 5% of residents a "
            "year, moves within an authority excluded, so moves across ward boundaries are "
            "more); 'the age with the highest proportion of movers was 19 ... approximately 1"
            " in 5 had moved' (https://ons.gov.uk/peoplepopulationandcommunity/populationandm"
            "igration/migrationwithintheuk/bulletins/internalmigrationbylocalauthoritiesineng"
            "landandwales/yearendingjune2015; year to June 2013: 2.71 million); English "
            "Housing Survey 2021-22: '5.2 million (22%) households in England had been living"
            " in their current home for less than 3 years' (about 7-8% a year; private "
            "renters 50%, social renters 17%, owner occupiers 14%) (https://www.Gov.uk/govern"
            "ment/statistics/english-housing-survey-2021-to-2022-household-moves-fact-sheet/e"
            "nglish-housing-survey-2021-to-2022-household-moves-fact-sheet). At 0.05 about "
            "5.4% of households leave their ward a year (docs/mechanisms.md), a little below "
            "all moves since some moves stay within a ward; range 3% to 8%."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "Yearly base propensity of a household to move away, before age, skills and push "
            "factors."
        ),
    ),
    Parameter(
        name="move_push",
        default=2.0,
        unit="dimensionless",
        low=0.5,
        high=4.0,
        source=(
            "assumption: a ward whose employment rate is 10% (relative) below England's has "
            "20% more moves; the literature finds out-migration responds to local "
            "unemployment, but no UK ward-level elasticity was read; range a quarter to "
            "double."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "How much the ward's employment shortfall against England's raises moving away: "
            "move * (1 + move_push * push)."
        ),
    ),
    Parameter(
        name="newcomer_selectivity",
        default=0.10,
        unit="dimensionless",
        low=0.05,
        high=0.2,
        source=(
            "the project's calibration notes (docs/mechanisms.md): raising it to 0.3 and 0.6 "
            "made the left-behind wards' 2015-2019 drift outside London +0.014 and +0.049 "
            "against +0.0035 observed, so the like-for-like check pins it near 0.1; range "
            "0.05 to 0.2 (the project's own calibration, not external evidence)."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "How much less skilled and less often in work newcomers are, per unit change of "
            "the ward's push less its pull since the start."
        ),
    ),
    Parameter(
        name="school_effect",
        default=0.8,
        unit="dimensionless",
        low=0.4,
        high=1.2,
        source=(
            "assumption: a unit rise of school quality over its start raises the mean skills "
            "of newly formed households by 0.8 (a generation's lag); school quality starts at"
            " 1 - education deprivation, so 0.8 makes schooling most but not all of young "
            "adults' skills; range half to 1.5 times."
        ),
        home="mechanisms.education_skills",
        meaning=(
            "Skills a newly formed young household gains per unit of school quality above the"
            " start."
        ),
    ),
    Parameter(
        name="adult_learners_share",
        default=0.06,
        unit="share of working-age adults per year",
        low=0.04,
        high=0.08,
        source=(
            "DfE, Further education and skills: 2,068,200 adult (19+) learners took part in further"
            " education and skills in England in 2018/19, apprenticeships included (data set 'Adult"
            " (19+) learner participation and achievements', "
            "https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/e7849773-9"
            "fac-4128-b195-e14f5e20139f), 6.2% of England's 33.3 million residents aged 19-64 in "
            "ONS's mid-2019 estimates (population19_lsoa11 in the project's data; some learners are"
            " older, so a little less of all adults). The start's adult education is taken to reach"
            " that share in every ward. Range 4% to 8%: participation fell to 1,640,300 by 2020/21 "
            "(same data set) and was higher in earlier years."
        ),
        home="mechanisms.education_skills",
        meaning=(
            "Adult learners a year as a share of working-age adults at the start's adult "
            "education; extra learners scale with the relative change of its quality."
        ),
    ),
    Parameter(
        name="adult_learners_max_extra",
        default=0.06,
        unit="share of working-age adults per year",
        low=0.03,
        high=0.12,
        source=(
            "assumption: however much provision grows, at most as many extra adults learn "
            "each year as learn today (participation doubles): places fill and the most "
            "willing learners are reached first (diminishing returns). Range half to double."
        ),
        home="mechanisms.education_skills",
        meaning="Ceiling of extra adult learners a year (share of working-age adults).",
    ),
    Parameter(
        name="adult_learning_gain",
        default=0.05,
        unit="skills (0-1) per learner",
        low=0.0,
        high=0.13,
        source=(
            "Blanden, Buscha, Sturgis and Urwin (2012), Measuring the earnings returns to "
            "accredited adult learning in the UK, Econ. Educ. Rev. 31(4): 'Our results show a "
            "medium-run return for women of 10% on hourly wages. For men, initial suggestions of a "
            "similar positive return are eliminated once pre-qualification trends are taken into "
            "account' (https://eprints.soton.ac.uk/208125/); BIS Research Paper 150 (2013): "
            "learning below level 2 'had a positive impact on employability, wages, and time on "
            "benefits, but these effects were small overall and captured mainly by level 1 rather "
            "than entry level and by those aged 19-24' "
            "(https://gov.uk/government/publications/impact-of-learning-below-level-2-in-further-ed"
            "ucation); Dorsett, Lui and Weale, The effects of life-long learning on earnings and "
            "employment (NIESR slides), citing Jenkins et al. (2002), 'wage growth after life-long "
            "learning was not significantly faster', and Blanden et al. (2008), 'little benefit for"
            " men; some for women aged thirty-five to forty-nine' "
            "(https://documents.pub/amp/document/the-effects-of-life-long-learning-on-earnings-and-"
            "employment-richard-dorsett.html). On the model's earnings rule (0.9 + 1.2 skills "
            "poverty lines) 10% of earnings is about 0.13 of skills; with half the learners women "
            "at 10%, half men at nothing, and much of the learning below level 2, a learner gains "
            "about 0.05 (about 4% of earnings). Range 0 (men, Blanden et al.) to 0.13 (women's "
            "return for every learner)."
        ),
        home="mechanisms.education_skills",
        meaning="Skills a learner gains from a year of adult learning (the skills scale, 0-1).",
    ),
    Parameter(
        name="adult_learning_loss",
        default=0.05,
        unit="1/yr",
        low=0.03,
        high=0.15,
        source=(
            "assumption: the uplift adult learning leaves fades by about 5% a year: about 2% of "
            "working-age adults reach retirement each year (a 45-year working life), and the "
            "returns are measured in the medium run only (Blanden et al. 2012, "
            "https://eprints.soton.ac.uk/208125/); DfE's net present value of further education "
            "finds older learners' premia lower, as they 'have less to gain from increased "
            "training' and less 'time left in the workforce' (Measuring the net present value of "
            "further education in England 2018 to 2019, "
            "https://www.fenews.co.uk/press-releases/68699-measuring-the-net-present-value-of-furth"
            "er-education-in-england-2018-to-2019). Moving away is simulated, so not counted here. "
            "Range 3% to 15% a year."
        ),
        home="mechanisms.education_skills",
        meaning=(
            "Yearly loss of the skill uplift adult learning has left (retirement, fading): "
            "the uplift approaches inflow / loss, a level, not a trend."
        ),
    ),
    Parameter(
        name="health_service_effect",
        default=0.6,
        unit="dimensionless",
        low=0.15,
        high=0.9,
        source=(
            "Widely cited estimates attribute 'only 10 to 20 percent of a person's health "
            "outcomes' to health care, the rest to social, economic and environmental factors"
            " (https://www.continuitycare.com/social-determinants; the Marmot review is "
            "quoted as 80% of causes of ill health being other than access to health care). A"
            " unit of health-service quality moving health by 0.6 is large against that; the "
            "evidence suggests 0.15-0.3. Range 0.15 to 0.9."
        ),
        home="step",
        meaning=(
            "Effect of health-service quality (against the start) on the ward's lagged health"
            " effect."
        ),
    ),
    Parameter(
        name="civic_health_effect",
        default=0.2,
        unit="dimensionless",
        low=0.05,
        high=0.4,
        source=(
            "assumption: places to meet support health through social contact; a third of the"
            " health service's weight; range a quarter to double."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Effect of community-space quality (against the start) on the ward's lagged "
            "health effect."
        ),
    ),
    Parameter(
        name="stress_health_effect",
        default=0.3,
        unit="dimensionless",
        low=0.1,
        high=0.6,
        source=(
            "Meltzer et al. (2012), Eur. J. Public Health 23(1): in England's 2007 "
            "psychiatric morbidity survey 8.5% of adults were in arrears and 'adults in debt "
            "were three times more likely than those not in debt to have CMD' (https://academ"
            "ic.oup.com/eurpub/article/23/1/108/464719/The-relationship-between-personal-debt"
            "-and); Richardson, Elliott and Roberts (2013) meta-analysis: those in debt at "
            "about three times the risk of mental health problems, causality unclear (https:/"
            "/marketbusinessnews.com/people-debt-likely-suffer-mental-problems/2228/). "
            "Supports a material stress-to-health link; the size on the model's scale is an "
            "assumption; range 0.1 to 0.6."
        ),
        home="step",
        meaning=(
            "Effect of the ward's mean financial stress (against the start) on its lagged "
            "health effect."
        ),
    ),
    Parameter(
        name="stress_speed",
        default=0.3,
        unit="1/yr",
        low=0.15,
        high=0.6,
        source=(
            "assumption: financial stress closes 30% of its gap to its target a year (debts "
            "take a few years to build or clear); range half to double."
        ),
        home="household_year",
        meaning=(
            "Share of the gap between a household's financial stress and its target closed "
            "each year."
        ),
    ),
    Parameter(
        name="cost_of_living_exposure",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=1.0,
        source=(
            "assumption: half the macro cost-of-living pressure (and price spikes) reaches "
            "household stress targets; range half to double (capped at full pass-through)."
        ),
        home="mechanisms.cost_of_living",
        meaning=(
            "Share of the macro cost-of-living pressure that raises households' stress targets."
        ),
    ),
    Parameter(
        name="debt_advice_effect",
        default=0.4,
        unit="dimensionless",
        low=0.2,
        high=0.8,
        source=(
            "assumption: a unit rise of debt-advice quality over the start lowers every "
            "household's stress target by 0.4; range half to double."
        ),
        home="mechanisms.cost_of_living",
        meaning="Fall of the stress target per unit of debt-advice quality above the start.",
    ),
    Parameter(
        name="capacity_speed",
        default=0.15,
        unit="1/yr",
        low=0.05,
        high=0.3,
        source=(
            "assumption: community capacity closes 15% of its gap to its base level a year (a"
            " half-life of about four years: organisations take years to build and to "
            "wither); range a third to double."
        ),
        home="mechanisms.social_infrastructure",
        meaning="Share of the gap between community capacity and its base level closed each year.",
    ),
    Parameter(
        name="community_takeover",
        default=0.45,
        unit="dimensionless",
        low=0.3,
        high=0.65,
        source=(
            "Public libraries as the documented case: 'around 800 public libraries fell under"
            " the axe ... volunteers have taken over an estimated 500' since 2010 (The "
            "Developer, 2022, https://www.thedeveloperlive.co.uk/places/patchwork-provision-t"
            "he-reluctant-rise-of-community-libraries); in 2017-18 105 English libraries "
            "closed and 14 more passed to volunteers, 272 volunteer-run of 2,853 (https://www"
            ".thebookseller.com/news/book-spend-englands-public-libraries-falls-below-30m-917"
            "221); library volunteers rose 24.3% to 51,478 in 2014/15-2018/19 while paid "
            "staff fell 15.1% (https://www.cipfa.org/about-cipfa/press-office/latest-press-re"
            "leases/decade-of-austerity-sees-30-drop-in-library-spending). Kept going: about "
            "0.38 (500 of 1,300) to 0.45 (docs: 600 of 1,370); range 0.3 to 0.65. Must stay "
            "in [0, 1]."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Share of a lost pound of community-run services that a fully capable community "
            "keeps going."
        ),
    ),
    Parameter(
        name="capacity_support_gain",
        default=0.05,
        unit="1/yr",
        low=0.02,
        high=0.1,
        source=(
            "assumption sized on New Deal for Communities, the largest community programme "
            "evaluated: at about GBP 500 a resident a year (well past this rule's "
            "saturation) the share of residents 'feeling part of the local community' rose "
            "from 35 per cent in 2002 to 45 per cent in 2008, gross, not net of comparators "
            "(DCLG 2009, as summarised at http://www.publicnet.co.uk/abstracts/2009/11/11/new"
            "-deal-for-communities-an-overview-of-change/). With 0.05 at saturation and "
            "capacity_speed 0.15, capacity from the left-behind start 0.40 settles near 0.55"
            " after about a decade, moving engagement need by about 0.08 (weight 0.5): about"
            " NDC's gross change, so at most what it found. Frontier Economics for Local "
            "Trust (2021) reports material returns to community-led social infrastructure "
            "(https://localtrust.org.uk/news-and-stories/news/social-infrastructure-investmen"
            "t-vital-to-economic-recovery-of-left-behind-areas-new-research-shows/) but no "
            "yearly capacity gain. Range 0.02 to 0.1 (0.25, the default before issue 20, "
            "took engagement need to England's level with GBP 9 a resident)."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Yearly capacity gain of capacity-building support at saturation, as a share of "
            "the gap to full capacity."
        ),
    ),
    Parameter(
        name="legacy_rate",
        default=0.01,
        unit="1/yr",
        low=0.005,
        high=0.02,
        source=(
            "assumption: after three unbroken funded years, 1% of the gap to full capacity a "
            "year becomes a legacy that does not decay; range half to double."
        ),
        home="mechanisms.long_term_money",
        meaning=(
            "Yearly rate at which unbroken community-controlled funding builds a lasting "
            "legacy of capacity."
        ),
    ),
    Parameter(
        name="recession_job_loss",
        default=1.5,
        unit="dimensionless",
        low=0.75,
        high=3.0,
        source=(
            "Redundancy rates 'in the 2008-11 recession exceeded 1% of the workforce at their"
            " peak' (a quarter; Economics Observatory, https://www.economicsobservatory.com/d"
            "ata-covid-19-redundancies-not-really-record); notified redundancies peaked at "
            "180,000 in January-March 2009 (IES, https://digitalgarner.com/redundancies-set-t"
            "o-double-the-peak-reached-in-the-2008-recession/). Job losses roughly doubled at"
            " the peak; at the scenarios' severity 0.04 and average resilience the rule "
            "raises a year's job losses by about 60%; range half to double."
        ),
        home="mechanisms.resilience",
        meaning="Strength of the rise of job losses in a recession year.",
    ),
    Parameter(
        name="recovery_speed",
        default=0.15,
        unit="1/yr",
        low=0.05,
        high=0.3,
        source=(
            "assumption: labour demand's trend and the scar heal by 0.15 * (0.5 + resilience)"
            " a year, about 0.2 at average resilience (a recession's scar half gone in about "
            "three years); range a third to double."
        ),
        home="mechanisms.resilience",
        meaning=(
            "Speed at which labour demand follows investment and recessions' scars heal, "
            "before resilience."
        ),
    ),
    Parameter(
        name="bid_capacity_elasticity",
        default=2.0,
        unit="dimensionless",
        low=0.0,
        high=10.0,
        source=(
            "OCSI for the APPG for 'left behind' neighbourhoods: the 225 received GBP 7.77 a "
            "head of national charitable grant funding (360Giving GrantNav, 2004-2021) "
            "against GBP 19.31 in other deprived areas and GBP 12.23 in England, and were "
            "'less than half as likely to have a registered charity' (https://grin.coop/ocsi-"
            "and-all-party-parliamentary-group-identifies-225-left-behind-places-in-england-t"
            "hat-receive-less-charitable-funding-than-other-areas/). With the model's start "
            "capacity 0.40 (left behind) and 0.64 (other deprived, docs/mechanisms.md), "
            "ln(7.77/19.31)/ln(0.40/0.64) = 1.9: grant success scales with capacity at about "
            "the default's elasticity of 2. Range is the one the config allows (0 to 10)."
        ),
        home="mechanisms.capacity_trap",
        meaning="Elasticity of competitive bidding success to community capacity.",
    ),
    Parameter(
        name="local_power_gain",
        default=0.2,
        unit="dimensionless",
        low=0.0,
        high=0.3,
        source=(
            "Evidence of pounds going further where places decide is thin and mixed: devolved"
            " adult education budgets were 97% spent by mayoral authorities against 91.5% by "
            "DfE, and one mayor reports enrolments rising from 22,000 to 35,000 'on the same "
            "real-terms budget' (FE Week, "
            "https://feweek.co.uk/mayors-better-at-spending-adult-skills-cash/); Big Local "
            "wave-3 areas expected match funding of 16% of their start-up budgets "
            "(https://churchhillbiglocal.org.uk/what-is-the-local-trust-big-local-2-2/); NDC "
            "individuals did not improve faster than comparators on most outcomes "
            "(https://spatial-economics.blogspot.com/2009/10/new-deal-for-communities.html). "
            "0.1 to 0.3 is what these support (the 16% match, the 5.5-point spending gap); "
            "0.2 the middle, reached only at full capacity (nothing at or below "
            "partnership_capacity_min). Range 0 (NDC: no net gain) to 0.3."
        ),
        home="mechanisms.local_power",
        meaning=(
            "Extra effect per pound where communities decide, at full devolution and "
            "capacity: 1 + gain * devolution * capability, capability rising from 0 at "
            "partnership_capacity_min to 1 at full capacity."
        ),
    ),
    Parameter(
        name="partnership_cost_share",
        default=0.15,
        unit="share",
        low=0.1,
        high=0.32,
        source=(
            "New Deal for Communities: in 2001-02 the 39 partnerships 'spent £65.3 million on"
            " projects ... £17.3 million on their management and administration' (21%), and "
            "'over the 10-year lifetime ... each NDC Partnership is allowed to spend 10 per "
            "cent. of its overall grant on management and administration' (Hansard written "
            "answer, 24 March 2003, https://api.parliament.uk/historic-hansard/written_answer"
            "s/2003/mar/24/awards); Big Local: '32 per cent of Big Local funding was spent on "
            "Big Local delivery costs ... paid staff, equipment, and other support costs' "
            "(Local Trust, How did Big Local areas spend their funding?, https://www.learning"
            "frombiglocal.org.uk/resources/programme-level-spend). Default between NDC's "
            "allowance and its first year; range NDC's 10% to Big Local's 32%."
        ),
        home="mechanisms.local_power",
        meaning=(
            "Share of money decided by communities (times the devolution share) spent on "
            "running the partnership, buying no service."
        ),
    ),
    Parameter(
        name="partnership_capacity_min",
        default=0.3,
        unit="capacity (0-1)",
        low=0.2,
        high=0.5,
        source=(
            "assumption: a community partnership needs some organisational capacity to spend at "
            "all: below 0.3 (the left-behind wards start near 0.40 on the real data, "
            "docs/mechanisms.md) a community fund spends only capacity / 0.3 of what is due and "
            "local decisions add nothing. Big Local's first years were slow ('More than £9m has "
            "been allocated to communities across England in the first few years' of some GBP 150m,"
            " OPM for Local Trust, 2015, "
            "http://www.opm.co.uk/news/the-big-local-early-years-evaluation/), and Local Trust's "
            "paper on Big Local areas not spending to plan names 'skills and capacity' among the "
            "causes of delayed and cancelled payments "
            "(https://localtrust.org.uk/insights/research/big-local-areas-not-spending-to-plan/); "
            "no figure maps onto a capacity threshold. Range 0.2 to 0.5."
        ),
        home="mechanisms.local_power",
        meaning=(
            "Community capacity below which a partnership underspends its community fund and "
            "local decisions add nothing (local power's threshold)."
        ),
    ),
    Parameter(
        name="long_term_compounding",
        default=0.0,
        unit="1/yr",
        low=0.0,
        high=0.05,
        source=(
            "The NDC evaluation's lesson is that 'persistence pays ... programme managers "
            "should be prepared for diminishing returns over time' (https://docslib.org/doc/2"
            "862230/new-deal-for-communities-a-synthesis-of-new-programme-wide-evidence-2006-"
            "07), and a reviewer notes 'the research suggests that the largest gains came "
            "first' (Overman, "
            "https://spatial-economics.blogspot.com/2009/10/new-deal-for-communities.html). "
            "No evidence of gains that compound was found, so none by default (long-term "
            "money still leaves its legacy, legacy_rate); assumption: at most 5% more a year "
            "funded (1.5 times by year 10) for a sampler to test. Range 0 to 0.05."
        ),
        home="mechanisms.long_term_money",
        meaning=(
            "Extra capacity-building gain per consecutive year of community-controlled money,"
            " up to the cap of years."
        ),
    ),
    Parameter(
        name="capital_spend_rate",
        default=0.1,
        unit="1/yr",
        low=0.05,
        high=0.4,
        source=(
            "NAO, Levelling up funding to local government (November 2023): the Levelling Up Fund "
            "(GBP 4.8bn), UK Shared Prosperity Fund (GBP 2.6bn) and Towns Fund (GBP 3.2bn) were "
            "'intended to be spent between 2020-21 and 2025-26. However, as of March 2023, just £2 "
            "billion had been given to local councils, of which £0.9 billion had been spent' (as "
            "reported at "
            "https://www.localgovernmentlawyer.co.uk/projects-and-regeneration/403-projects-news/55"
            "648-spending-watchdog-criticises-how-government-allocated-levelling-up-funding-amid-co"
            "ncern-deadlines-for-completion-of-projects-will-be-missed; the NAO's press release: "
            "'50% of the main construction contracts for Levelling Up Fund projects due by March "
            "2024 were unsigned', "
            "https://www.nao.org.uk/press-releases/levelling-up-funding-to-local-government/); "
            "Public Accounts Committee, Levelling up funding to local government (HC 424, 15 March "
            "2024): 'Of the £10.47 billion ... £1.24 billion had actually been spent ... (as of the"
            " latest data for September 2023)' and 'over 80% of the Levelling Up Fund Round 1 "
            "projects are already set to miss their March 2024 completion deadline' "
            "(https://publications.parliament.uk/pa/cm5804/cmselect/cmpubacc/424/summary.html). "
            "Spending a tenth of what has fallen due each year on a six-year flat plan gives 9.4% "
            "spent after three years and 12.2% after three and a half (observed 8.5% and 11.8%; the"
            " funds started in different years, so the flat plan is an approximation). The funds "
            "were mostly capital and the period had the pandemic and construction inflation, and "
            "the Department told the PAC its spending was 'now more aligned to its budgets': range "
            "0.05 to 0.4 a year."
        ),
        home="delivery",
        meaning="Share of an award's capital that has fallen due and is spent each year.",
    ),
    Parameter(
        name="running_spend_rate",
        default=0.5,
        unit="1/yr",
        low=0.25,
        high=1.0,
        source=(
            "assumption: running (revenue) money is spent faster than capital but not at once: the "
            "NAO found 'some local authorities were left with only three months to spend their "
            "2022-23 allocations from the UK Shared Prosperity Fund' (as reported by Civil Service "
            "World, "
            "https://www.civilserviceworld.com/professions/article/nao-highlights-levellingup-fundi"
            "ng-delays), and Big Local, mostly running money, had allocated 'more than £9m' of some"
            " GBP 150m 'in the first few years' "
            "(http://www.opm.co.uk/news/the-big-local-early-years-evaluation/); half of what has "
            "fallen due spent a year. Range 0.25 to 1 (1: no lag)."
        ),
        home="delivery",
        meaning="Share of an award's running money that has fallen due and is spent each year.",
    ),
    Parameter(
        name="delivery_max_years_late",
        default=4.0,
        unit="years",
        low=1.0,
        high=8.0,
        source=(
            "assumption: money still unspent four years after an award's planned end is spent that "
            "year: deadlines are extended, not money withdrawn (the PAC: 'the Department has "
            "extended the deadline for local authorities to spend their government funds for the "
            "Future High Streets Fund and Round 1' of the Levelling Up Fund, "
            "https://publications.parliament.uk/pa/cm5804/cmselect/cmpubacc/424/summary.html; "
            "'Round 1 of Levelling Up Funding was awarded to ‘shovel-ready’ projects that were "
            "supposed to be completed ... by March 2024 – but 60 out of 71 of these projects have "
            "had to extend', PAC press release, "
            "https://www.parliamenttoday.com/free/viewnews.html?id=154238). Range 1 to 8 years."
        ),
        home="delivery",
        meaning=(
            "Years after an award's planned end by which whatever is unspent is spent (the "
            "extended deadline)."
        ),
        whole=True,
    ),
    Parameter(
        name="agglomeration",
        default=7.0,
        unit="dimensionless",
        low=0.0,
        high=14.0,
        source=(
            "the project's calibration notes (docs/mechanisms.md): fitted to the one observed"
            " measure, the rise of 0.22 IMD points per standard deviation of connectedness "
            "need among the most deprived fifth of wards outside London, IMD 2015 to 2019 "
            "(standard error about 0.065); at 14 the model's gradient is about two standard "
            "errors above it, so the range is 0 to 14 (the config allows up to 20)."
        ),
        home="mechanisms.connectivity",
        meaning=(
            "How strongly growth goes to wards with better reach: the investment premium "
            "moves by agglomeration * growth * (reach - 1) a year."
        ),
    ),
    Parameter(
        name="neighbour_services",
        default=1.0,
        unit="dimensionless",
        low=0.0,
        high=1.0,
        source=(
            "assumption: 1 is the documented use of neighbours' better services, 0 own ward "
            "only; range is the one the config allows."
        ),
        home="neighbours",
        meaning=(
            "Strength with which households use their neighbouring wards' better services "
            "through their links."
        ),
    ),
    Parameter(
        name="base_per_head_schools",
        default=900.0,
        unit="GBP per resident per year",
        low=700.0,
        high=1100.0,
        source=(
            "IFS 2020 annual report on education spending: 'In 2019/20, the spending on "
            "schools in England totalled about £51 billion' (2020-21 prices), GBP 6,100 per "
            "pupil (https://cefm.co.uk/2020/11/30/institute-for-fiscal-studies-2020-annual-re"
            "port-on-education-spending-in-england-schools/): over England's ~56 million "
            "residents about GBP 900 a resident, the default. Range 700 to 1,100."
        ),
        home="services",
        meaning=(
            "Start-year running spending per resident on schools (ring-fenced grant passed "
            "through the LA) at average deprivation."
        ),
    ),
    Parameter(
        name="base_per_head_health",
        default=1400.0,
        unit="GBP per resident per year",
        low=1000.0,
        high=2300.0,
        source=(
            "Commons Library CBP0724 (2019): 'In 2018/19 health services expenditure per head"
            " was ... lowest in England (£2,269 per head)'; NHS England's budget GBP 114bn, "
            "of which GBP 75.6bn allocated to CCGs "
            "(https://pdfhost.io/v/QnkbH15QL_NHS_Funding_and_Expenditure), about GBP 1,350 a "
            "resident. The default matches locally commissioned care, not all health spending"
            " (which would be about 2,270); range 1,000 to 2,300."
        ),
        home="services",
        meaning=(
            "Start-year running spending per resident on GP and health services (ring-fenced "
            "grant passed through the LA) at average deprivation."
        ),
    ),
    Parameter(
        name="base_per_head_community_spaces",
        default=20.0,
        unit="GBP per resident per year",
        low=10.0,
        high=40.0,
        source=(
            "English public library spending GBP 748.5m in 2017/18 (CIPFA, via The "
            "Bookseller, https://www.thebookseller.com/news/book-spend-englands-public-librar"
            "ies-falls-below-30m-917221), about GBP 13 a resident for libraries alone; "
            "community centres and halls add to it. Range 10 to 40."
        ),
        home="services",
        meaning=(
            "Start-year running spending per resident on community spaces (centres, "
            "libraries, halls: the CNI's civic assets) at average deprivation."
        ),
    ),
    Parameter(
        name="base_per_head_transport",
        default=40.0,
        unit="GBP per resident per year",
        low=20.0,
        high=80.0,
        source=(
            "Transport Committee (2019): 'the Government funds bus services ... to a total of"
            " approximately £2 billion per year' (https://publications.parliament.uk/pa/cm201"
            "719/cmselect/cmtrans/1425/report-files/142507.htm), about GBP 36 a resident of "
            "England; the statutory concessionary scheme alone cost councils about GBP 764m "
            "(LGA, https://www.local.gov.uk/parliament/briefings-and-responses/subsidised-bus"
            "-services-england-house-lords). Range 20 to 80."
        ),
        home="services",
        meaning=(
            "Start-year running spending per resident on public transport at average deprivation."
        ),
    ),
    Parameter(
        name="base_per_head_digital",
        default=15.0,
        unit="GBP per resident per year",
        low=5.0,
        high=30.0,
        source=(
            "assumption: running spending per resident at average deprivation in 2019; no "
            "figure for this service read; range half to double."
        ),
        home="services",
        meaning=(
            "Start-year running spending per resident on digital connectivity at average "
            "deprivation."
        ),
    ),
    Parameter(
        name="base_per_head_adult_education",
        default=15.0,
        unit="GBP per resident per year",
        low=7.5,
        high=30.0,
        source=(
            "The adult education budget was about GBP 1.4-1.5bn a year (FE Week: GBP 2.85bn "
            "devolved plus GBP 2.98bn by DfE over 2019-2023; GBP 1.4bn in 2024, "
            "https://feweek.co.uk/mayors-better-at-spending-adult-skills-cash/), about GBP 26"
            " a resident: the default 15 is about half of that (it covers adult education "
            "used by working-age residents, not apprenticeships). Range 7.5 to 30."
        ),
        home="services",
        meaning=(
            "Start-year running spending per resident on adult education at average deprivation."
        ),
    ),
    Parameter(
        name="base_per_head_employment_support",
        default=15.0,
        unit="GBP per resident per year",
        low=7.5,
        high=30.0,
        source=(
            "assumption: running spending per resident at average deprivation in 2019; no "
            "figure for this service read; range half to double."
        ),
        home="services",
        meaning=(
            "Start-year running spending per resident on employment support at average deprivation."
        ),
    ),
    Parameter(
        name="base_per_head_debt_advice",
        default=5.0,
        unit="GBP per resident per year",
        low=1.5,
        high=10.0,
        source=(
            "Money Advice Service (2017), as summarised: 'around £45m from the FCA levy' "
            "funded about 65% of face-to-face debt advice, and 'at least £150m a year goes "
            "towards funding free-to-client debt advice' across the UK (https://amestaylor.me"
            "dium.com/we-need-to-talk-about-maps-debt-advice-funding-again-f36a1d31ce9b), "
            "about GBP 2-3 a resident: the evidence suggests the default 5 is about double. "
            "Range 1.5 to 10."
        ),
        home="services",
        meaning="Start-year running spending per resident on debt advice at average deprivation.",
    ),
    Parameter(
        name="need_gradient_schools",
        default=0.25,
        unit="fraction per unit z-score",
        low=0.1,
        high=0.5,
        source=(
            "assumption: extra start-year spending per resident per unit of the ward's IMD "
            "z-score (the pupil premium and deprivation factors of the schools formula are "
            "the model for it); range about half to double (a zero default: 0 to 0.2)."
        ),
        home="services",
        meaning=(
            "Need weighting of the start-year running spending on schools: spend is "
            "multiplied by max(floor, 1 + gradient * z)."
        ),
    ),
    Parameter(
        name="need_gradient_health",
        default=0.3,
        unit="fraction per unit z-score",
        low=0.15,
        high=0.6,
        source=(
            "assumption: extra start-year spending per resident per unit of the ward's IMD "
            "z-score; range about half to double (a zero default: 0 to 0.2)."
        ),
        home="services",
        meaning=(
            "Need weighting of the start-year running spending on health: spend is multiplied"
            " by max(floor, 1 + gradient * z)."
        ),
    ),
    Parameter(
        name="need_gradient_community_spaces",
        default=0.1,
        unit="fraction per unit z-score",
        low=0.0,
        high=0.2,
        source=(
            "assumption: extra start-year spending per resident per unit of the ward's IMD "
            "z-score; range about half to double (a zero default: 0 to 0.2)."
        ),
        home="services",
        meaning=(
            "Need weighting of the start-year running spending on community spaces: spend is "
            "multiplied by max(floor, 1 + gradient * z)."
        ),
    ),
    Parameter(
        name="need_gradient_transport",
        default=0.1,
        unit="fraction per unit z-score",
        low=0.0,
        high=0.2,
        source=(
            "assumption: extra start-year spending per resident per unit of the ward's IMD "
            "z-score; range about half to double (a zero default: 0 to 0.2)."
        ),
        home="services",
        meaning=(
            "Need weighting of the start-year running spending on transport: spend is "
            "multiplied by max(floor, 1 + gradient * z)."
        ),
    ),
    Parameter(
        name="need_gradient_digital",
        default=0.0,
        unit="fraction per unit z-score",
        low=0.0,
        high=0.2,
        source=(
            "assumption: extra start-year spending per resident per unit of the ward's IMD "
            "z-score; range about half to double (a zero default: 0 to 0.2)."
        ),
        home="services",
        meaning=(
            "Need weighting of the start-year running spending on digital: spend is "
            "multiplied by max(floor, 1 + gradient * z)."
        ),
    ),
    Parameter(
        name="need_gradient_adult_education",
        default=0.3,
        unit="fraction per unit z-score",
        low=0.15,
        high=0.6,
        source=(
            "assumption: extra start-year spending per resident per unit of the ward's IMD "
            "z-score; range about half to double (a zero default: 0 to 0.2)."
        ),
        home="services",
        meaning=(
            "Need weighting of the start-year running spending on adult education: spend is "
            "multiplied by max(floor, 1 + gradient * z)."
        ),
    ),
    Parameter(
        name="need_gradient_employment_support",
        default=0.6,
        unit="fraction per unit z-score",
        low=0.3,
        high=1.0,
        source=(
            "assumption: extra start-year spending per resident per unit of the ward's IMD "
            "z-score; range about half to double (a zero default: 0 to 0.2)."
        ),
        home="services",
        meaning=(
            "Need weighting of the start-year running spending on employment support: spend "
            "is multiplied by max(floor, 1 + gradient * z)."
        ),
    ),
    Parameter(
        name="need_gradient_debt_advice",
        default=0.6,
        unit="fraction per unit z-score",
        low=0.3,
        high=1.0,
        source=(
            "assumption: extra start-year spending per resident per unit of the ward's IMD "
            "z-score; range about half to double (a zero default: 0 to 0.2)."
        ),
        home="services",
        meaning=(
            "Need weighting of the start-year running spending on debt advice: spend is "
            "multiplied by max(floor, 1 + gradient * z)."
        ),
    ),
    Parameter(
        name="adjust_speed_schools",
        default=0.10,
        unit="1/yr",
        low=0.05,
        high=0.2,
        source=(
            "assumption: share of the gap to the quality its money sustains closed each year:"
            " school quality changes slowly (staff, buildings, reputation); range half to "
            "double."
        ),
        home="services",
        meaning=(
            "Yearly adjustment speed of schools quality towards the level its running money "
            "sustains (the lag)."
        ),
    ),
    Parameter(
        name="adjust_speed_health",
        default=0.15,
        unit="1/yr",
        low=0.075,
        high=0.3,
        source=(
            "assumption: share of the gap to the quality its money sustains closed each year:"
            " practices and staff take years to build or lose; range half to double."
        ),
        home="services",
        meaning=(
            "Yearly adjustment speed of health quality towards the level its running money "
            "sustains (the lag)."
        ),
    ),
    Parameter(
        name="adjust_speed_community_spaces",
        default=0.20,
        unit="1/yr",
        low=0.1,
        high=0.4,
        source=(
            "Library numbers followed a decade of cuts closely (spending -29.6%, libraries "
            "-17.7% from 2009/10 to 2018/19, https://www.thebookseller.com/news/austerity-sen"
            "ds-library-spending-tumbling-296-35-more-close-1130326), consistent with a lag "
            "of a few years (0.2: 20% of the gap a year); range half to double."
        ),
        home="services",
        meaning=(
            "Yearly adjustment speed of community spaces quality towards the level its "
            "running money sustains (the lag)."
        ),
    ),
    Parameter(
        name="adjust_speed_transport",
        default=0.15,
        unit="1/yr",
        low=0.075,
        high=0.3,
        source=(
            "assumption: share of the gap to the quality its money sustains closed each year:"
            " bus networks follow money within a few years; range half to double."
        ),
        home="services",
        meaning=(
            "Yearly adjustment speed of transport quality towards the level its running money"
            " sustains (the lag)."
        ),
    ),
    Parameter(
        name="adjust_speed_digital",
        default=0.10,
        unit="1/yr",
        low=0.05,
        high=0.2,
        source=(
            "assumption: share of the gap to the quality its money sustains closed each year:"
            " networks are long-lived infrastructure; range half to double."
        ),
        home="services",
        meaning=(
            "Yearly adjustment speed of digital quality towards the level its running money "
            "sustains (the lag)."
        ),
    ),
    Parameter(
        name="adjust_speed_adult_education",
        default=0.25,
        unit="1/yr",
        low=0.125,
        high=0.5,
        source=(
            "assumption: share of the gap to the quality its money sustains closed each year:"
            " courses open and close with a year's money; range half to double."
        ),
        home="services",
        meaning=(
            "Yearly adjustment speed of adult education quality towards the level its running"
            " money sustains (the lag)."
        ),
    ),
    Parameter(
        name="adjust_speed_employment_support",
        default=0.30,
        unit="1/yr",
        low=0.15,
        high=0.6,
        source=(
            "assumption: share of the gap to the quality its money sustains closed each year:"
            " advice services follow their money quickly; range half to double."
        ),
        home="services",
        meaning=(
            "Yearly adjustment speed of employment support quality towards the level its "
            "running money sustains (the lag)."
        ),
    ),
    Parameter(
        name="adjust_speed_debt_advice",
        default=0.30,
        unit="1/yr",
        low=0.15,
        high=0.6,
        source=(
            "assumption: share of the gap to the quality its money sustains closed each year:"
            " advice services follow their money quickly; range half to double."
        ),
        home="services",
        meaning=(
            "Yearly adjustment speed of debt advice quality towards the level its running "
            "money sustains (the lag)."
        ),
    ),
    Parameter(
        name="capital_cost_schools",
        default=3000.0,
        unit="GBP per resident",
        low=1500.0,
        high=6000.0,
        source=(
            "assumption: capital cost of lifting quality from 0 to 1, per resident, set at a "
            "few years of running spending; no capital cost data read; range half to double."
        ),
        home="services",
        meaning=(
            "Capital per resident that lifts schools quality from 0 to 1 (investment lifts "
            "quality by invest / (cost * residents) of the gap to 1)."
        ),
    ),
    Parameter(
        name="capital_cost_health",
        default=3000.0,
        unit="GBP per resident",
        low=1500.0,
        high=6000.0,
        source=(
            "assumption: capital cost of lifting quality from 0 to 1, per resident, set at a "
            "few years of running spending; no capital cost data read; range half to double."
        ),
        home="services",
        meaning=(
            "Capital per resident that lifts health quality from 0 to 1 (investment lifts "
            "quality by invest / (cost * residents) of the gap to 1)."
        ),
    ),
    Parameter(
        name="capital_cost_community_spaces",
        default=200.0,
        unit="GBP per resident",
        low=100.0,
        high=400.0,
        source=(
            "assumption: capital cost of lifting quality from 0 to 1, per resident, set at a "
            "few years of running spending; no capital cost data read; range half to double."
        ),
        home="services",
        meaning=(
            "Capital per resident that lifts community spaces quality from 0 to 1 (investment"
            " lifts quality by invest / (cost * residents) of the gap to 1)."
        ),
    ),
    Parameter(
        name="capital_cost_transport",
        default=800.0,
        unit="GBP per resident",
        low=400.0,
        high=1600.0,
        source=(
            "assumption: capital cost of lifting quality from 0 to 1, per resident, set at a "
            "few years of running spending; no capital cost data read; range half to double."
        ),
        home="services",
        meaning=(
            "Capital per resident that lifts transport quality from 0 to 1 (investment lifts "
            "quality by invest / (cost * residents) of the gap to 1)."
        ),
    ),
    Parameter(
        name="capital_cost_digital",
        default=300.0,
        unit="GBP per resident",
        low=150.0,
        high=600.0,
        source=(
            "assumption: capital cost of lifting quality from 0 to 1, per resident, set at a "
            "few years of running spending; no capital cost data read; range half to double."
        ),
        home="services",
        meaning=(
            "Capital per resident that lifts digital quality from 0 to 1 (investment lifts "
            "quality by invest / (cost * residents) of the gap to 1)."
        ),
    ),
    Parameter(
        name="capital_cost_adult_education",
        default=150.0,
        unit="GBP per resident",
        low=75.0,
        high=300.0,
        source=(
            "assumption: capital cost of lifting quality from 0 to 1, per resident, set at a "
            "few years of running spending; no capital cost data read; range half to double."
        ),
        home="services",
        meaning=(
            "Capital per resident that lifts adult education quality from 0 to 1 (investment "
            "lifts quality by invest / (cost * residents) of the gap to 1)."
        ),
    ),
    Parameter(
        name="capital_cost_employment_support",
        default=150.0,
        unit="GBP per resident",
        low=75.0,
        high=300.0,
        source=(
            "assumption: capital cost of lifting quality from 0 to 1, per resident, set at a "
            "few years of running spending; no capital cost data read; range half to double."
        ),
        home="services",
        meaning=(
            "Capital per resident that lifts employment support quality from 0 to 1 "
            "(investment lifts quality by invest / (cost * residents) of the gap to 1)."
        ),
    ),
    Parameter(
        name="capital_cost_debt_advice",
        default=50.0,
        unit="GBP per resident",
        low=25.0,
        high=100.0,
        source=(
            "assumption: capital cost of lifting quality from 0 to 1, per resident, set at a "
            "few years of running spending; no capital cost data read; range half to double."
        ),
        home="services",
        meaning=(
            "Capital per resident that lifts debt advice quality from 0 to 1 (investment "
            "lifts quality by invest / (cost * residents) of the gap to 1)."
        ),
    ),
    Parameter(
        name="spend_elasticity",
        default=0.7,
        unit="dimensionless",
        low=0.5,
        high=1.5,
        source=(
            "Libraries as a check: spending fell 29.6% from 2009/10 to 2018/19 (https://www.c"
            "ipfa.org/about-cipfa/press-office/latest-press-releases/decade-of-austerity-sees"
            "-30-drop-in-library-spending) and the number of libraries fell 17.7%, from 4,356"
            " to 3,583 (https://www.thebookseller.com/news/austerity-sends-library-spending-t"
            "umbling-296-35-more-close-1130326): with elasticity 1 on the odds a 30% cut takes"
            " quality 0.5 to about 0.41 (-18%, as the library count fell), with 0.7 to 0.44 "
            "(-12%); the count sits closer to 1, if numbers stand for quality, but closures lag"
            " cuts and quality can fall without them, so the check bounds the entry only "
            "loosely. Default re-sized from 1.0 to 0.7 jointly with "
            "employment_support_effect and programme_eligible_share on the New Deal for "
            "Communities evaluation's null finding on worklessness (experiments/"
            "resize_defaults.py, docs/calibration.md; the shipped accepted set's median is "
            "0.68). Range 0.5 to 1.5."
        ),
        home="services",
        meaning=(
            "Elasticity of the odds of a service's sustainable quality to its running money "
            "against the start."
        ),
    ),
    Parameter(
        name="space_closure_rate",
        default=0.04,
        unit="1/yr",
        low=0.02,
        high=0.08,
        source=(
            "Closures of civic assets in the 2010s: pubs fell 'from 52,500 in 2001 to 38,815' (ONS,"
            " Economies of ale, 2018, as reported at "
            "https://www.theguardian.com/business/2018/nov/26/uk-pub-closures-financial-crisis-birm"
            "ingham-ons-figures), about 1.8% a year; libraries in Great Britain 'fell by 2.7% to "
            "3,745' in the year to April 2017 (CIPFA, "
            "https://www.thebookseller.com/news/cipfa-library-figures-687596) and by 17.7% in the "
            "decade to 2018/19 (CIPFA, "
            "https://www.thebookseller.com/news/austerity-sends-library-spending-tumbling-296-35-mo"
            "re-close-1130326), about 1.9% a year; 'A total of 1,243 council-run youth centres "
            "closed' from 2010 to 2023, with 'Just 581 centres' left (Unison, 2024, England and "
            "Wales, "
            "https://www.unison.org.uk/news/2024/06/closure-of-more-than-a-thousand-youth-centres-c"
            "ould-have-lasting-impact-on-society/), about 8% a year; 'more deprived communities "
            "were four times more likely to have lost a publicly funded library' since 2016 (BBC "
            "analysis, as reported at "
            "https://www.localgov.co.uk/Public-libraries-in-crisis-amid-cuts/61048). The fastest a "
            "ward's stock of spaces can shrink: 4% a year, about twice the national rates for pubs "
            "and libraries (for the deprived wards that lose them faster) and half the youth "
            "centres'; range 2% to 8%."
        ),
        home="mechanisms.social_infrastructure",
        meaning="Largest share of a ward's community spaces that can close in a year.",
    ),
    Parameter(
        name="space_opening_rate",
        default=0.03,
        unit="1/yr",
        low=0.01,
        high=0.06,
        source=(
            "assumption: no national count of community spaces opening was found. Over 6,300 assets"
            " were in community ownership in England in 2019, and 'nearly a third of all "
            "community-owned assets came into community ownership in the last decade', while 'the "
            "most deprived 30% of neighbourhoods' contained 18% of them (Archer et al., Our assets,"
            " our future, for Power to Change and MHCLG, as reported at "
            "https://fundraising.co.uk/2019/07/18/community-owned-buildings-add-220m-a-year-to-econ"
            "omy-analysis-shows/): about 3% of that stock a year, much of it transfers of existing "
            "buildings rather than new spaces. New Deal for Communities, at about GBP 500 a "
            "resident a year, improved and brought back into use 'More than 95 community buildings'"
            " in 39 areas over about eight years (DCLG press release, 2010, "
            "http://www.mynewsdesk.com/uk/pressreleases/communities-and-local-government-neighbourh"
            "ood-projects-make-a-difference-say-residents-371856). A ward's stock of spaces grows "
            "at most 3% a year of itself or its start, whichever is larger; range 1% to 6%."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Largest yearly growth of a ward's community spaces, as a share of its stock (or "
            "of its start, if larger)."
        ),
    ),
    Parameter(
        name="closure_quality",
        default=0.08,
        unit="quality (0-1)",
        low=0.04,
        high=0.16,
        source=(
            "assumption: a community space whose quality falls below 0.08 while its money "
            "cannot hold it there closes; range half to double."
        ),
        home="mechanisms.social_infrastructure",
        meaning="Quality below which a community space closes unless its community takes it over.",
    ),
    Parameter(
        name="closure_margin",
        default=0.95,
        unit="dimensionless",
        low=0.9,
        high=1.0,
        source=(
            "assumption: a ward whose spaces start near or below the closure line closes them"
            " only below 95% of their start quality (the start is a steady state; small "
            "drifts close nothing); range 0.9 to 1."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Share of its start quality below which a community space that started near the "
            "closure line closes."
        ),
    ),
    Parameter(
        name="takeover_capacity_low",
        default=0.3,
        unit="capacity (0-1)",
        low=0.2,
        high=0.35,
        source=(
            "assumption: below community capacity 0.3 no organisation can take a service over"
            " (about a third of the left-behind wards start below it, docs/mechanisms.md); "
            "the range stays below takeover_capacity_high's so the ramp never has zero width."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Community capacity below which no organisation can take over a community-run "
            "service (the ramp's foot)."
        ),
    ),
    Parameter(
        name="takeover_capacity_high",
        default=0.5,
        unit="capacity (0-1)",
        low=0.45,
        high=0.6,
        source=(
            "assumption: at community capacity 0.5 a takeover reaches its full strength "
            "(England's mean capacity, 0.69, is above it); the range stays above "
            "takeover_capacity_low's."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Community capacity at which a takeover of a community-run service reaches full "
            "strength (the ramp's top)."
        ),
    ),
    Parameter(
        name="need_floor",
        default=0.3,
        unit="dimensionless",
        low=0.1,
        high=0.5,
        source=(
            "assumption: the least deprived ward still gets at least 30% of the average "
            "spending per resident on each service; range 0.1 to 0.5."
        ),
        home="services",
        meaning=(
            "Floor of the need multiplier of start-year running spending: max(floor, 1 + "
            "gradient * z)."
        ),
    ),
    Parameter(
        name="need_z_min",
        default=-1.5,
        unit="z-score",
        low=-2.5,
        high=-1.0,
        source=(
            "assumption: deprivation z-scores below -1.5 count as -1.5 in start-year funding "
            "(a modelling choice that bounds the least deprived wards' discount); range -2.5 "
            "to -1."
        ),
        home="services",
        meaning="Lower clip of the ward deprivation z-score in start-year running spending.",
    ),
    Parameter(
        name="need_z_max",
        default=3.0,
        unit="z-score",
        low=2.0,
        high=4.0,
        source=(
            "assumption: deprivation z-scores above 3 count as 3 in start-year funding (a "
            "modelling choice that bounds the most deprived wards' premium); range 2 to 4."
        ),
        home="services",
        meaning="Upper clip of the ward deprivation z-score in start-year running spending.",
    ),
    Parameter(
        name="neighbour_share_schools",
        default=0.4,
        unit="dimensionless",
        low=0.2,
        high=0.6,
        source=(
            "assumption: share of the gap to the neighbours' better schools a household with "
            "full reach closes: catchments and places limit how far a family can go "
            "elsewhere; range half to 1.5 times (shares stay in [0, 1])."
        ),
        home="neighbours",
        meaning=(
            "Share of the gap to neighbouring wards' better schools that a household with "
            "full reach closes."
        ),
    ),
    Parameter(
        name="neighbour_share_health",
        default=0.4,
        unit="dimensionless",
        low=0.2,
        high=0.6,
        source=(
            "assumption: share of the gap to the neighbours' better health a household with "
            "full reach closes: list sizes and practice boundaries limit it; range half to "
            "1.5 times (shares stay in [0, 1])."
        ),
        home="neighbours",
        meaning=(
            "Share of the gap to neighbouring wards' better health that a household with full"
            " reach closes."
        ),
    ),
    Parameter(
        name="neighbour_share_community_spaces",
        default=0.2,
        unit="dimensionless",
        low=0.1,
        high=0.4,
        source=(
            "assumption: share of the gap to the neighbours' better community spaces a "
            "household with full reach closes: used mostly by those who live near them; range"
            " half to 1.5 times (shares stay in [0, 1])."
        ),
        home="neighbours",
        meaning=(
            "Share of the gap to neighbouring wards' better community spaces that a household"
            " with full reach closes."
        ),
    ),
    Parameter(
        name="neighbour_share_adult_education",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=0.75,
        source=(
            "assumption: share of the gap to the neighbours' better adult education a "
            "household with full reach closes: a college serves a whole town; range half to "
            "1.5 times (shares stay in [0, 1])."
        ),
        home="neighbours",
        meaning=(
            "Share of the gap to neighbouring wards' better adult education that a household "
            "with full reach closes."
        ),
    ),
    Parameter(
        name="neighbour_share_employment_support",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=0.75,
        source=(
            "assumption: share of the gap to the neighbours' better employment support a "
            "household with full reach closes: a Jobcentre serves a whole town; range half to"
            " 1.5 times (shares stay in [0, 1])."
        ),
        home="neighbours",
        meaning=(
            "Share of the gap to neighbouring wards' better employment support that a "
            "household with full reach closes."
        ),
    ),
    Parameter(
        name="neighbour_share_debt_advice",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=0.75,
        source=(
            "assumption: share of the gap to the neighbours' better debt advice a household "
            "with full reach closes: an advice centre (and phone advice) serves a whole town;"
            " range half to 1.5 times (shares stay in [0, 1])."
        ),
        home="neighbours",
        meaning=(
            "Share of the gap to neighbouring wards' better debt advice that a household with"
            " full reach closes."
        ),
    ),
    Parameter(
        name="move_by_band_young",
        default=2.0,
        unit="dimensionless",
        low=1.5,
        high=3.0,
        source=(
            "ONS internal migration, England and Wales, year to June 2014: 'an estimated 2.85"
            " million residents moving between local authorities' (about 5% of residents a "
            "year, moves within an authority excluded, so moves across ward boundaries are "
            "more); 'the age with the highest proportion of movers was 19 ... approximately 1"
            " in 5 had moved' (https://ons.gov.uk/peoplepopulationandcommunity/populationandm"
            "igration/migrationwithintheuk/bulletins/internalmigrationbylocalauthoritiesineng"
            "landandwales/yearendingjune2015; year to June 2013: 2.71 million); English "
            "Housing Survey 2021-22: 24% of owner occupiers with a head aged 16-54 had moved "
            "in the last 3 years against 7% of those 55 and over, and 57% of younger private "
            "renters (https://www.Gov.uk/government/statistics/english-housing-survey-2021-to"
            "-2022-household-moves-fact-sheet/english-housing-survey-2021-to-2022-household-m"
            "oves-fact-sheet). Young heads move most; range 1.5 to 3 times the 30-49 band."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "Relative propensity to move away of a household whose head is aged 16-29 "
            "(multiplies move_rate)."
        ),
    ),
    Parameter(
        name="move_by_band_middle",
        default=1.0,
        unit="dimensionless",
        low=0.8,
        high=1.2,
        source=(
            "assumption: relative propensity to move away of a household whose head is 30-49:"
            " the reference band (move_rate applies to it as it stands); a modelling choice, "
            "varied only a little since move_rate scales every band; range about half to 1.5 "
            "times."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "Relative propensity to move away of a household whose head is aged 30-49 "
            "(multiplies move_rate)."
        ),
    ),
    Parameter(
        name="move_by_band_older",
        default=0.4,
        unit="dimensionless",
        low=0.2,
        high=0.6,
        source=(
            "English Housing Survey 2021-22: 7% of owner occupiers with a head aged 55 or "
            "over had moved in the last 3 years against 24% of those 16-54 (https://www.Gov.u"
            "k/government/statistics/english-housing-survey-2021-to-2022-household-moves-fact"
            "-sheet/english-housing-survey-2021-to-2022-household-moves-fact-sheet), a ratio "
            "of about 0.3; the 50-64 band sits between; range 0.2 to 0.6."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "Relative propensity to move away of a household whose head is aged 50-64 "
            "(multiplies move_rate)."
        ),
    ),
    Parameter(
        name="move_by_band_retired",
        default=0.2,
        unit="dimensionless",
        low=0.1,
        high=0.4,
        source=(
            "English Housing Survey 2021-22: 7% of older (55+) owner occupiers had moved in "
            "the last 3 years against 24% of younger ones (https://www.Gov.uk/government/stat"
            "istics/english-housing-survey-2021-to-2022-household-moves-fact-sheet/english-ho"
            "using-survey-2021-to-2022-household-moves-fact-sheet); the over-65s move least; "
            "range 0.1 to 0.4."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "Relative propensity to move away of a household whose head is aged 65+ "
            "(multiplies move_rate)."
        ),
    ),
    Parameter(
        name="employment_support_effect",
        default=0.3,
        unit="dimensionless",
        low=0.2,
        high=1.0,
        source=(
            "assumption: job finding rises by 0.3 of the rise of employment-support quality "
            "over the start (a unit rise: 30% more finding); range 0.2 to 1.0. Default "
            "re-sized from 0.5 jointly with spend_elasticity and programme_eligible_share on "
            "the New Deal for Communities evaluation's null finding on worklessness "
            "(experiments/resize_defaults.py, docs/calibration.md; the shipped accepted "
            "set's median is 0.52, so the evidence does not single this entry out). Beside "
            "it, not sizing it: Greater Manchester's Working Well pilot (benefit claimants "
            "with health conditions after two years on the Work Programme) found 4.7% of "
            "participants and of a matched comparison group had started work early on, with a"
            " significant gain in jobs lasting 26 weeks or more (Learning and Work Institute "
            "for DWP, 2018, https://www.learningandwork.org.uk/2018/01/30/"
            "assessing-impact-employment-support-manchester/)."
        ),
        home="labour_market",
        meaning=(
            "Job-finding multiplier per unit of employment-support quality above the start: 1"
            " + effect * (q - q0)."
        ),
    ),
    Parameter(
        name="finding_skill_intercept",
        default=0.3,
        unit="dimensionless",
        low=0.15,
        high=0.5,
        source=(
            "2011 Census (25-64): 'Fewer than half (48.5%) of those with no qualifications "
            "were in employment compared with ... (80.7%) of those with at least one "
            "qualification' (http://ons.gov.uk/ons/rel/census/2011-census/qualifications-and-"
            "labour-market-participation-in-england-and-wales/index.html). A head with no "
            "skills finds work at 30% of a fully skilled one's rate (with the loss gradient "
            "this spreads employment roughly as observed); range 0.15 to 0.5."
        ),
        home="household_year",
        meaning="Intercept of the skills factor of job finding: (intercept + weight * skills).",
    ),
    Parameter(
        name="finding_skill_weight",
        default=0.7,
        unit="dimensionless",
        low=0.5,
        high=0.85,
        source=(
            "assumption: weight of skills in job finding (with the intercept: factor 1 at "
            "full skills); range 0.5 to 0.85."
        ),
        home="household_year",
        meaning="Weight of skills in the skills factor of job finding.",
    ),
    Parameter(
        name="finding_health_intercept",
        default=0.4,
        unit="dimensionless",
        low=0.2,
        high=0.6,
        source=(
            "assumption: a head in the worst health finds work at 40% of the rate of one in "
            "full health; range half to 1.5 times."
        ),
        home="household_year",
        meaning="Intercept of the health factor of job finding: (intercept + weight * health).",
    ),
    Parameter(
        name="finding_health_weight",
        default=0.6,
        unit="dimensionless",
        low=0.4,
        high=0.8,
        source=(
            "assumption: weight of health in job finding (with the intercept: factor 1 at "
            "full health); range 0.4 to 0.8."
        ),
        home="household_year",
        meaning="Weight of health in the health factor of job finding.",
    ),
    Parameter(
        name="finding_network_centre",
        default=0.5,
        unit="participation (0-1)",
        low=0.3,
        high=0.7,
        source=(
            "assumption: the participation at which networks neither help nor hurt job "
            "finding (a modelling choice: the middle of the scale); range 0.3 to 0.7."
        ),
        home="household_year",
        meaning=(
            "Participation level at which the network term of job finding is 1: 1 + network *"
            " (participation - centre)."
        ),
    ),
    Parameter(
        name="loss_skill_intercept",
        default=1.4,
        unit="dimensionless",
        low=1.1,
        high=1.8,
        source=(
            "2011 Census (England and Wales, ages 25-64): 'The unemployment rate for both men"
            " (12.9%) and women (10.8%) with no qualifications was more than double the rate "
            "for those with at least one qualification (5.2% for men, 4.3% for women)' (http:"
            "//ons.gov.uk/ons/rel/census/2011-census/qualifications-and-labour-market-partici"
            "pation-in-england-and-wales/index.html). The rule's ratio between no and full "
            "skills is 1.4/0.6 = 2.3; range keeps the factor positive at full skills."
        ),
        home="household_year",
        meaning="Intercept of the skills factor of job loss: (intercept - weight * skills).",
    ),
    Parameter(
        name="loss_skill_weight",
        default=0.8,
        unit="dimensionless",
        low=0.4,
        high=1.1,
        source=(
            "2011 Census: unemployment of those with no qualifications more than double that "
            "of those with any (http://ons.gov.uk/ons/rel/census/2011-census/qualifications-a"
            "nd-labour-market-participation-in-england-and-wales/index.html); with the "
            "intercept 1.4, weight 0.8 gives a ratio of 2.3; its top stays at or below "
            "loss_skill_intercept's bottom."
        ),
        home="household_year",
        meaning="Weight of skills in the skills factor of job loss.",
    ),
    Parameter(
        name="loss_health_intercept",
        default=1.3,
        unit="dimensionless",
        low=1.0,
        high=1.6,
        source=(
            "assumption: a head in the worst health loses work 1.3 times as often as the base"
            " rate, one in full health 0.7 times; range keeps the factor positive."
        ),
        home="household_year",
        meaning="Intercept of the health factor of job loss: (intercept - weight * health).",
    ),
    Parameter(
        name="loss_health_weight",
        default=0.6,
        unit="dimensionless",
        low=0.3,
        high=0.9,
        source=(
            "assumption: fall of the job-loss factor from the worst to full health; range "
            "half to 1.5 times (stays below the intercept)."
        ),
        home="household_year",
        meaning="Weight of health in the health factor of job loss.",
    ),
    Parameter(
        name="stress_floor",
        default=0.1,
        unit="stress (0-1)",
        low=0.05,
        high=0.2,
        source=(
            "assumption: the stress a household in work and above the poverty line relaxes to"
            " with no price pressure; range half to double."
        ),
        home="mechanisms.cost_of_living",
        meaning=(
            "Base stress target of a household in work above the poverty line, before prices "
            "and advice."
        ),
    ),
    Parameter(
        name="stress_price_weight",
        default=0.3,
        unit="dimensionless",
        low=0.1,
        high=0.6,
        source=(
            "assumption: households above the poverty line feel 0.3 of the (exposed) "
            "cost-of-living pressure in their stress target, those below it 1.3 (with "
            "stress_income_deprived's + col); range a third to double."
        ),
        home="mechanisms.cost_of_living",
        meaning=(
            "Weight of the exposed cost-of-living pressure in the stress target of every "
            "household (the deprived add the full pressure on top)."
        ),
    ),
    Parameter(
        name="stress_income_deprived",
        default=0.45,
        unit="stress (0-1)",
        low=0.25,
        high=0.6,
        source=(
            "assumption: income below the poverty line adds 0.45 to the stress target (debt "
            "and fuel poverty concentrate below the line); range 0.25 to 0.6."
        ),
        home="mechanisms.cost_of_living",
        meaning="Extra stress target of a household with income below the poverty line.",
    ),
    Parameter(
        name="stress_out_of_work",
        default=0.1,
        unit="stress (0-1)",
        low=0.05,
        high=0.2,
        source=(
            "assumption: a working-age head out of work adds 0.1 to the stress target "
            "(insecure income beyond its level); range half to double."
        ),
        home="household_year",
        meaning="Extra stress target of a working-age household out of work.",
    ),
    Parameter(
        name="stress_health_direct",
        default=0.1,
        unit="dimensionless",
        low=0.05,
        high=0.2,
        source=(
            "Meltzer et al. (2012): adults in arrears 'three times more likely' to have a "
            "common mental disorder (https://academic.oup.com/eurpub/article/23/1/108/464719/"
            "The-relationship-between-personal-debt-and); the direct household effect (0.1 of"
            " the year's rise in stress) beside the ward's lagged one is an assumption; range"
            " half to double."
        ),
        home="household_year",
        meaning=(
            "Direct fall of a household's health per unit rise of its own financial stress in"
            " the year."
        ),
    ),
    Parameter(
        name="health_effect_speed",
        default=0.2,
        unit="1/yr",
        low=0.1,
        high=0.4,
        source=(
            "assumption: the ward's health effect closes 20% of its gap to its driver a year "
            "(health responds over years); range half to double."
        ),
        home="step",
        meaning=(
            "Yearly speed at which the ward's lagged health effect follows services, civic "
            "assets and stress."
        ),
    ),
    Parameter(
        name="participation_effect_speed",
        default=0.3,
        unit="1/yr",
        low=0.15,
        high=0.6,
        source=(
            "assumption: the ward's participation effect closes 30% of its gap to its driver "
            "a year; range half to double."
        ),
        home="step",
        meaning="Yearly speed at which the ward's lagged participation effect follows its drivers.",
    ),
    Parameter(
        name="participation_civic_weight",
        default=0.4,
        unit="dimensionless",
        low=0.2,
        high=0.8,
        source=(
            "assumption: civic participation rises 0.4 per unit rise of community-space "
            "quality used; range half to double."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Weight of community-space quality (against the start) in the participation driver."
        ),
    ),
    Parameter(
        name="participation_capacity_weight",
        default=0.4,
        unit="dimensionless",
        low=0.2,
        high=0.8,
        source=(
            "assumption: civic participation rises 0.4 per unit rise of community capacity; "
            "range half to double."
        ),
        home="mechanisms.social_infrastructure",
        meaning="Weight of community capacity (against the start) in the participation driver.",
    ),
    Parameter(
        name="participation_health_weight",
        default=0.2,
        unit="dimensionless",
        low=0.1,
        high=0.4,
        source=(
            "assumption: healthier residents take part more: 0.2 per unit of ward health "
            "against the start; range half to double."
        ),
        home="mechanisms.social_infrastructure",
        meaning="Weight of the ward's mean health (against the start) in the participation driver.",
    ),
    Parameter(
        name="capacity_support_half_saturation",
        default=10.0,
        unit="GBP per resident per year",
        low=5.0,
        high=20.0,
        source=(
            "Big Local gave 150 areas 'at least £1m ... over ten years' each (about GBP 100k "
            "a year an area; https://www.learningfrombiglocal.org.uk/plain-text-power-in-our-"
            "hands-an-inquiry-into-positive-and-lasting-change-in-the-big-local-programme); "
            "New Deal for Communities gave 39 areas of 'about 9,800 people' about £50m each "
            "over 10 years, about GBP 500 a resident a year (https://docslib.org/doc/2862230/"
            "new-deal-for-communities-a-synthesis-of-new-programme-wide-evidence-2006-07). A "
            "half-saturation of GBP 10 a resident a year puts Big Local-scale money near it "
            "and NDC-scale money at saturation; the figure itself is an assumption; range "
            "half to double."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Capacity-building money per resident a year at which its gain is half of "
            "capacity_support_gain."
        ),
    ),
    Parameter(
        name="capacity_participation_weight",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=1.0,
        source=(
            "assumption: community capacity's base level moves by half the change of mean "
            "participation since the start (participation maintains organisations); range "
            "half to double."
        ),
        home="mechanisms.social_infrastructure",
        meaning=(
            "Weight of the change of participation since the start in community capacity's "
            "base level."
        ),
    ),
    Parameter(
        name="long_term_max_years",
        default=10,
        unit="years",
        low=5,
        high=15,
        source=(
            "The long programmes ran 10 years or more: NDC 'approved 10 year delivery plans',"
            " with the lesson 'persistence pays: it takes time to engage all agencies fully, "
            "and for spending to show impacts' (https://docslib.org/doc/2862230/new-deal-for-"
            "communities-a-synthesis-of-new-programme-wide-evidence-2006-07); Big Local 'over"
            " 10 to 15 years' (https://www.learningfrombiglocal.org.uk/plain-text-power-in-ou"
            "r-hands-an-inquiry-into-positive-and-lasting-change-in-the-big-local-programme)."
            " Range 5 to 15."
        ),
        home="mechanisms.long_term_money",
        meaning="Cap on the consecutive funded years that compound capacity-building gains.",
        whole=True,
    ),
    Parameter(
        name="legacy_min_years",
        default=3,
        unit="years",
        low=2,
        high=5,
        source=(
            "assumption: a legacy builds only after three unbroken funded years, so two-year "
            "pots never reach it; range 2 to 5."
        ),
        home="mechanisms.long_term_money",
        meaning=(
            "Consecutive years of community-controlled money after which a lasting legacy of "
            "capacity builds."
        ),
        whole=True,
    ),
    Parameter(
        name="recovery_resilience_offset",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=1.0,
        source=(
            "assumption: recovery runs at recovery_speed * (offset + resilience): a ward of "
            "no resilience still heals at half speed; range half to double."
        ),
        home="mechanisms.resilience",
        meaning="Offset of resilience in the speeds of labour demand's trend and scar healing.",
    ),
    Parameter(
        name="recession_hit_offset",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=1.0,
        source=(
            "assumption: a recession's cut of labour demand scales with (offset + 1 - "
            "resilience); range half to double."
        ),
        home="mechanisms.resilience",
        meaning=(
            "Offset of (1 - resilience) in the share of labour demand a recession cuts into "
            "the scar."
        ),
    ),
    Parameter(
        name="recession_scar_multiplier",
        default=2.0,
        unit="dimensionless",
        low=1.0,
        high=4.0,
        source=(
            "assumption: a recession of severity s cuts 2 * s * (0.5 + 1 - resilience) of "
            "labour demand; range half to double."
        ),
        home="mechanisms.resilience",
        meaning="Multiplier of recession severity in the share of labour demand cut into the scar.",
    ),
    Parameter(
        name="recession_hit_cap",
        default=0.9,
        unit="share",
        low=0.5,
        high=0.95,
        source=(
            "assumption: no single recession cuts more than 90% of labour demand (a bound for"
            " extreme severities, a modelling choice); range 0.5 to 0.95."
        ),
        home="mechanisms.resilience",
        meaning="Largest share of labour demand one recession year can cut.",
    ),
    Parameter(
        name="scar_cap",
        default=0.95,
        unit="share",
        low=0.8,
        high=0.99,
        source=(
            "assumption: the recessions' unhealed scar never exceeds 95% of labour demand's "
            "trend (a bound, a modelling choice; documented on WardState.scar); range 0.8 to "
            "0.99."
        ),
        home="mechanisms.resilience",
        meaning="Largest share of labour demand's trend the unhealed scar may hold.",
    ),
    Parameter(
        name="labour_demand_floor",
        default=0.05,
        unit="index (start = 1)",
        low=0.01,
        high=0.2,
        source=(
            "assumption: labour demand's trend never falls below 5% of the start (keeps "
            "century-long declines finite, a modelling choice); range 0.01 to 0.2."
        ),
        home="labour_market",
        meaning="Floor of labour demand's trend relative to the start.",
    ),
    Parameter(
        name="recession_severity_scale",
        default=10.0,
        unit="dimensionless",
        low=5.0,
        high=20.0,
        source=(
            "assumption: turns a recession's severity (about 0.05 to 0.1) into a job-loss "
            "multiplier of order one: shock = 1 + recession_job_loss * severity * 10 * (1.5 -"
            " resilience); range half to double."
        ),
        home="mechanisms.resilience",
        meaning="Scale of recession severity in the job-loss multiplier of a recession year.",
    ),
    Parameter(
        name="recession_loss_resilience_offset",
        default=1.5,
        unit="dimensionless",
        low=1.0,
        high=2.0,
        source=(
            "assumption: recession job losses scale with (1.5 - resilience): 1.5 at no "
            "resilience, 0.5 at full; range 1 to 2 (above 1 keeps the term positive)."
        ),
        home="mechanisms.resilience",
        meaning="Offset from which resilience is subtracted in the recession job-loss multiplier.",
    ),
    Parameter(
        name="move_skill_offset",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=1.0,
        source=(
            "assumption: moving is proportional to (0.5 + skills): the most skilled move "
            "three times as often as the least; range half to double."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "Offset of skills in the moving propensity (0.5 + skills), and in the leavers' "
            "mean skill that follows from it."
        ),
    ),
    Parameter(
        name="move_probability_cap",
        default=0.5,
        unit="1/yr",
        low=0.3,
        high=0.8,
        source=(
            "assumption: no household's yearly probability of moving away exceeds 0.5 (a "
            "bound, a modelling choice); range 0.3 to 0.8."
        ),
        home="mechanisms.out_migration",
        meaning="Cap on a household's yearly probability of moving away.",
    ),
    Parameter(
        name="newcomer_income_ratio",
        default=2.0,
        unit="dimensionless",
        low=1.0,
        high=4.0,
        source=(
            "assumption: newcomers' log incomes are selected twice as strongly as their "
            "skills and work (income is the most selective of moves); range half to double."
        ),
        home="mechanisms.out_migration",
        meaning="Ratio of the selectivity of newcomers' log income to newcomer_selectivity.",
    ),
    Parameter(
        name="beta_mean_min",
        default=0.02,
        unit="share",
        low=0.01,
        high=0.05,
        source=(
            "assumption: the mean of a beta draw (skills, health, participation) is kept in "
            "[0.02, 0.98] so both shape parameters stay positive (a modelling choice); range "
            "0.01 to 0.05."
        ),
        home="mechanisms.education_skills",
        meaning=(
            "Lower clip of the mean of a new household's (or a start household's) skills and "
            "health beta draw."
        ),
    ),
    Parameter(
        name="beta_mean_max",
        default=0.98,
        unit="share",
        low=0.95,
        high=0.99,
        source=(
            "assumption: upper clip of the mean of a beta draw (see beta_mean_min); range "
            "0.95 to 0.99."
        ),
        home="mechanisms.education_skills",
        meaning=(
            "Upper clip of the mean of a new household's (or a start household's) skills and "
            "health beta draw."
        ),
    ),
    Parameter(
        name="skill_concentration",
        default=8.0,
        unit="dimensionless",
        low=4.0,
        high=16.0,
        source=(
            "assumption: skills within a ward spread as a beta of concentration 8 around its "
            "mean (sd about 0.16 at mean 0.5); range half to double."
        ),
        home="mechanisms.out_migration",
        meaning=(
            "Concentration of the beta distribution of skills within a ward (start households"
            " and newcomers)."
        ),
    ),
    Parameter(
        name="health_concentration",
        default=8.0,
        unit="dimensionless",
        low=4.0,
        high=16.0,
        source=(
            "assumption: health within a ward spreads as a beta of concentration 8 around its"
            " mean; range half to double."
        ),
        home="new_households",
        meaning=(
            "Concentration of the beta distribution of health within a ward (start households"
            " and newcomers)."
        ),
    ),
    Parameter(
        name="employed_base",
        default=0.9,
        unit="multiple of the poverty line",
        low=0.7,
        high=1.1,
        source=(
            "assumption: a working household with no skills earns 0.9 of the poverty line "
            "before its own factor (low-paid and part-time work can leave a household below "
            "the line); range 0.7 to 1.1."
        ),
        home="households",
        meaning="Base income of a household in work with no skills, relative to the poverty line.",
    ),
    Parameter(
        name="employed_skill_premium",
        default=1.2,
        unit="multiple of the poverty line",
        low=0.8,
        high=1.6,
        source=(
            "assumption: full skills add 1.2 poverty lines to a working household's base "
            "income (from 0.9 to 2.1: about the spread of earnings between low and high "
            "qualifications); range two thirds to 1.3 times."
        ),
        home="households",
        meaning=(
            "Extra base income of a household in work per unit of skills, relative to the "
            "poverty line."
        ),
    ),
    Parameter(
        name="pension_base",
        default=1.1,
        unit="multiple of the poverty line",
        low=0.9,
        high=1.3,
        source=(
            "assumption: a retired household's base income (state pension and savings) is 1.1"
            " poverty lines; range 0.9 to 1.3."
        ),
        home="households",
        meaning=(
            "Base income of a household whose head is 65 or over, relative to the poverty line."
        ),
    ),
    Parameter(
        name="benefit_base",
        default=0.6,
        unit="multiple of the poverty line",
        low=0.4,
        high=0.8,
        source=(
            "Joseph Rowntree Foundation (2013), as reported: 'Unemployed people without "
            "children receive only half the income they need to live a basic life ... those "
            "with children receive a third less than needed' (https://unemployednet.org/unemp"
            "loyed-people-receive-only-half-income-they-need). Out-of-work incomes at 0.6 of "
            "the poverty line sit between; range 0.4 to 0.8."
        ),
        home="households",
        meaning=(
            "Base income of a working-age household out of work (benefits), relative to the "
            "poverty line, at the start."
        ),
    ),
    Parameter(
        name="income_spread",
        default=0.45,
        unit="sd of log income",
        low=0.3,
        high=0.65,
        source=(
            "assumption: standard deviation of the log income factor within a ward; England's"
            " whole income distribution (Gini about 0.35, which a log-normal reaches at sd "
            "about 0.64) is wider than one ward's, so below that; range 0.3 to 0.65."
        ),
        home="new_households",
        meaning=(
            "Spread of household income factors within a ward (start households and newcomers)."
        ),
    ),
    Parameter(
        name="household_size_intercept",
        default=1.75,
        unit="persons",
        low=1.5,
        high=2.0,
        source=(
            "assumption: mean household size = 1.75 + 3.2 * share of residents aged 0-15: "
            "about 2.4 persons at England's share of children (about a fifth; the docstring's"
            " figure); range 1.5 to 2."
        ),
        home="synthesis",
        meaning=(
            "Mean household size of a ward with no children (the intercept of its rise with "
            "the share of children)."
        ),
    ),
    Parameter(
        name="household_size_child_slope",
        default=3.2,
        unit="persons per share",
        low=2.0,
        high=4.5,
        source=(
            "assumption: mean household size rises by 0.032 persons per percentage point of "
            "residents aged 0-15; range 2 to 4.5."
        ),
        home="synthesis",
        meaning="Rise of mean household size with the ward's share of residents aged 0-15.",
    ),
    Parameter(
        name="household_size_max",
        default=8,
        unit="persons",
        low=6,
        high=10,
        source=(
            "assumption: households are 1 + Poisson in size, capped at 8 (an int8 field; a "
            "modelling choice); range 6 to 10."
        ),
        home="synthesis",
        meaning="Largest household size drawn at the start.",
        whole=True,
    ),
    Parameter(
        name="head_band_weight_young",
        default=0.7,
        unit="dimensionless",
        low=0.4,
        high=1.0,
        source=(
            "assumption: weight of adults aged 16-29 among household heads: fewer very young "
            "adults head a household (many live with parents or share); range about 0.6 to "
            "1.4 times."
        ),
        home="synthesis",
        meaning=(
            "Relative weight of the ward's adults aged 16-29 in drawing heads' age bands at "
            "the start."
        ),
    ),
    Parameter(
        name="head_band_weight_middle",
        default=1.1,
        unit="dimensionless",
        low=0.9,
        high=1.3,
        source=(
            "assumption: weight of adults aged 30-49 among household heads: adults of these "
            "ages head households more often; range about 0.6 to 1.4 times."
        ),
        home="synthesis",
        meaning=(
            "Relative weight of the ward's adults aged 30-49 in drawing heads' age bands at "
            "the start."
        ),
    ),
    Parameter(
        name="head_band_weight_older",
        default=1.1,
        unit="dimensionless",
        low=0.9,
        high=1.3,
        source=(
            "assumption: weight of adults aged 50-64 among household heads: adults of these "
            "ages head households more often; range about 0.6 to 1.4 times."
        ),
        home="synthesis",
        meaning=(
            "Relative weight of the ward's adults aged 50-64 in drawing heads' age bands at "
            "the start."
        ),
    ),
    Parameter(
        name="head_band_weight_retired",
        default=1.0,
        unit="dimensionless",
        low=0.8,
        high=1.2,
        source=(
            "assumption: weight of adults aged 65+ among household heads: the reference band "
            "(a modelling choice; only the ratios matter); range about 0.6 to 1.4 times."
        ),
        home="synthesis",
        meaning=(
            "Relative weight of the ward's adults aged 65+ in drawing heads' age bands at the"
            " start."
        ),
    ),
    Parameter(
        name="start_skill_work_gap",
        default=0.05,
        unit="skills (0-1)",
        low=0.0,
        high=0.15,
        source=(
            "assumption: workers start 0.05 more skilled than the out-of-work in a ward's "
            "mean (the ward's mean unchanged); range 0 to 0.15."
        ),
        home="synthesis",
        meaning="Difference of mean start skills between working heads and the rest of the ward.",
    ),
    Parameter(
        name="participation_intercept",
        default=0.15,
        unit="participation (0-1)",
        low=0.05,
        high=0.3,
        source=(
            "assumption: mean start participation = 0.15 + 0.5 * (1 - engagement need): 0.15 "
            "where need is highest, 0.65 where lowest; range 0.05 to 0.3."
        ),
        home="synthesis",
        meaning="Mean start participation of a ward with the highest engagement need.",
    ),
    Parameter(
        name="participation_need_slope",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=0.75,
        source=(
            "Community Life Survey 2016-17: 'Civic participation increases as deprivation "
            "decreases, ranging from 34% in the most deprived quintile to 48% in the least "
            "deprived' (https://theheritagealliance.org.uk/?p=40838). The model's start "
            "participation spans 0.15 to 0.65 across the whole range of engagement need (ward"
            " extremes, not quintile means); range 0.25 to 0.75."
        ),
        home="synthesis",
        meaning="Rise of mean start participation per unit fall of the CNI engagement need.",
    ),
    Parameter(
        name="participation_concentration",
        default=6.0,
        unit="dimensionless",
        low=3.0,
        high=12.0,
        source=(
            "assumption: participation within a ward spreads as a beta of concentration 6 "
            "(wider than skills and health); range half to double."
        ),
        home="synthesis",
        meaning="Concentration of the beta distribution of start participation within a ward.",
    ),
    Parameter(
        name="calibration_stress_noise",
        default=0.03,
        unit="stress (0-1)",
        low=0.0,
        high=0.06,
        source=(
            "assumption: households start at their stress rule's level plus a little noise "
            "(sd 0.03); range 0 to 0.06."
        ),
        home="start",
        meaning="Standard deviation of the noise around each household's start-year stress target.",
    ),
    Parameter(
        name="band_years_young",
        default=14.0,
        unit="years",
        low=10.0,
        high=18.0,
        source=(
            "assumption: mean years a head spends in the 16-29 band: the band spans 14 years "
            "of age; the sum sets a ward's turnover; range 10.0 to 18.0."
        ),
        home="start",
        meaning=(
            "Mean years a household head spends in the 16-29 age band (sets the start's "
            "ageing rates)."
        ),
    ),
    Parameter(
        name="band_years_middle",
        default=20.0,
        unit="years",
        low=15.0,
        high=25.0,
        source=(
            "assumption: mean years a head spends in the 30-49 band: the band spans 20 years "
            "of age; the sum sets a ward's turnover; range 15.0 to 25.0."
        ),
        home="start",
        meaning=(
            "Mean years a household head spends in the 30-49 age band (sets the start's "
            "ageing rates)."
        ),
    ),
    Parameter(
        name="band_years_older",
        default=15.0,
        unit="years",
        low=10.0,
        high=20.0,
        source=(
            "assumption: mean years a head spends in the 50-64 band: the band spans 15 years "
            "of age; the sum sets a ward's turnover; range 10.0 to 20.0."
        ),
        home="start",
        meaning=(
            "Mean years a household head spends in the 50-64 age band (sets the start's "
            "ageing rates)."
        ),
    ),
    Parameter(
        name="band_years_retired",
        default=15.0,
        unit="years",
        low=10.0,
        high=22.0,
        source=(
            "ONS interim life tables 2010-2012: life expectancy at 65 'reached 18.3 years' "
            "for men and '20.9 years' for women in England and Wales (http://ons.gov.uk/ons/r"
            "el/lifetables/interim-life-tables/2010-2012/stbilt2012.html). A household headed"
            " by someone over 65 lasting 15 years is below that (moves into care and to "
            "family end some sooner); the evidence suggests 15 is on the short side; range 10"
            " to 22."
        ),
        home="start",
        meaning=(
            "Mean years a household head spends in the 65+ age band (sets the start's ageing "
            "rates)."
        ),
    ),
    Parameter(
        name="ageing_rate_min",
        default=0.01,
        unit="1/yr",
        low=0.005,
        high=0.02,
        source=(
            "assumption: a ward's yearly probability of moving up an age band is at least "
            "0.01 (a bound, a modelling choice); range 0.005 to 0.02."
        ),
        home="start",
        meaning="Lower cap of the yearly ageing rates by ward and band.",
    ),
    Parameter(
        name="ageing_rate_max",
        default=0.5,
        unit="1/yr",
        low=0.3,
        high=0.8,
        source="assumption: and at most 0.5 (a bound, a modelling choice); range 0.3 to 0.8.",
        home="start",
        meaning="Upper cap of the yearly ageing rates by ward and band.",
    ),
    Parameter(
        name="initial_adult_education_ratio",
        default=0.8,
        unit="dimensionless",
        low=0.5,
        high=1.0,
        source=(
            "assumption: adult education starts at 0.8 of the schools' quality (1 - education"
            " deprivation): thinner than schooling; range 0.5 to 1."
        ),
        home="state",
        meaning="Start quality of adult education as a share of (1 - education deprivation).",
    ),
    Parameter(
        name="initial_employment_support_quality",
        default=0.5,
        unit="quality (0-1)",
        low=0.3,
        high=0.7,
        source=(
            "assumption: employment support starts at 0.5 everywhere (a uniform national "
            "offer, Jobcentre Plus); range 0.3 to 0.7."
        ),
        home="state",
        meaning="Start quality of employment support in every ward.",
    ),
    Parameter(
        name="initial_debt_advice_quality",
        default=0.4,
        unit="quality (0-1)",
        low=0.2,
        high=0.6,
        source=(
            "assumption: debt advice starts at 0.4 everywhere (a uniform offer, thinner than "
            "employment support); range 0.2 to 0.6."
        ),
        home="state",
        meaning="Start quality of debt advice in every ward.",
    ),
    Parameter(
        name="initial_quality_min",
        default=0.03,
        unit="quality (0-1)",
        low=0.01,
        high=0.1,
        source=(
            "assumption: start qualities are kept in [0.03, 0.97] so their odds are finite (a"
            " modelling choice); range 0.01 to 0.1."
        ),
        home="state",
        meaning="Lower clip of start-year service quality.",
    ),
    Parameter(
        name="initial_quality_max",
        default=0.97,
        unit="quality (0-1)",
        low=0.9,
        high=0.99,
        source=(
            "assumption: upper clip of start qualities (see initial_quality_min); range 0.9 "
            "to 0.99."
        ),
        home="state",
        meaning="Upper clip of start-year service quality.",
    ),
    Parameter(
        name="initial_capacity_ratio",
        default=0.9,
        unit="dimensionless",
        low=0.7,
        high=1.0,
        source=(
            "OCSI/APPG: the left-behind neighbourhoods are 'less than half as likely to have "
            "a registered charity' as England (https://grin.coop/ocsi-and-all-party-parliamen"
            "tary-group-identifies-225-left-behind-places-in-england-that-receive-less-charit"
            "able-funding-than-other-areas/); the rule gives them about 0.40 against "
            "England's 0.69 on the real data (docs/mechanisms.md); range 0.7 to 1."
        ),
        home="state",
        meaning="Start community capacity as a share of (1 - the CNI engagement need).",
    ),
    Parameter(
        name="initial_capacity_min",
        default=0.03,
        unit="capacity (0-1)",
        low=0.01,
        high=0.1,
        source=(
            "assumption: start capacity is kept in [0.03, 0.95] (a modelling choice); range "
            "0.01 to 0.1."
        ),
        home="state",
        meaning="Lower clip of start-year community capacity.",
    ),
    Parameter(
        name="initial_capacity_max",
        default=0.95,
        unit="capacity (0-1)",
        low=0.9,
        high=0.99,
        source="assumption: upper clip of start capacity; range 0.9 to 0.99.",
        home="state",
        meaning="Upper clip of start-year community capacity.",
    ),
    Parameter(
        name="local_fortune_sd",
        default=0.1,
        unit="log points per year",
        low=0.0,
        high=0.25,
        source=(
            "assumption, sized by history matching on the IMD 2015-2019 record "
            "(docs/calibration.md): wards' own fortunes (a plant opening or closing, a new "
            "employer) move their job finding in ways no national or regional condition "
            "does. Without them the model moves wards' IMD ranks less than the record (sd of "
            "the four-year rank change near the cut 135-138 against 206 observed; most "
            "deprived tenth still there four years on 93.5-93.7% against 89.1%). Hindcast, "
            "defaults, seeds 0 and 1: at 0.05, rank sd 143-148, persistence 92.3-92.9%; at "
            "0.1, 163-164 and 91.8-91.9%, every target's implausibility under 3 (at 0 the "
            "rank change's is 3.26); at 0.2, 217-218 and 88.3-88.4%, but the wards in both "
            "tenths keep the IMD tenth only 89-90% of the time against 98.0% observed "
            "(implausibility 4.58): uniform luck churns the "
            "deepest deprivation more than the record shows. Part of the observed churn is "
            "the index's own change of data between editions. Default 0.1; range 0 (none) "
            "to 0.25."
        ),
        home="agents.investors",
        meaning=(
            "Yearly standard deviation of each ward's own shock to its residents' job finding "
            "(log), independent across wards; 0 switches the mechanism off."
        ),
    ),
    Parameter(
        name="local_fortune_persistence",
        default=0.8,
        unit="dimensionless",
        low=0.5,
        high=0.95,
        source=(
            "assumption: a ward's fortune lasts some years (a closed plant is not replaced "
            "the next year) but fades as investment moves on; an AR(1) coefficient of 0.8 is"
            " a half-life of about three years; range 0.5 (one year) to 0.95 (13 years)."
        ),
        home="agents.investors",
        meaning=(
            "Share of last year's local fortune (log) a ward keeps: fortune' = persistence "
            "x fortune + local_fortune_sd x a standard normal draw."
        ),
    ),
    Parameter(
        name="private_per_head",
        default=400.0,
        unit="GBP per resident per year",
        low=200.0,
        high=3500.0,
        source=(
            "ONS: business investment 'fell by 0.4% to £49.2 billion' in Q2 2019 (https://cy."
            "ons.gov.uk/economy/grossdomesticproductgdp/bulletins/businessinvestment/apriltoj"
            "une2019revisedresults), about GBP 200bn a year or GBP 3,000 per UK resident, so "
            "the default is about a seventh of all business investment (it stands for "
            "investment in local jobs). It sets only the pounds the ledger records as private"
            " investment: labour demand reads its ratio to the start, which the default does "
            "not change. Range 200 to 3,500."
        ),
        home="agents.investors",
        meaning=(
            "Start-year private investment per resident (accounting: outcomes read only its "
            "ratio to the start)."
        ),
    ),
    Parameter(
        name="trend_growth",
        default=0.01,
        unit="1/yr",
        low=0.003,
        high=0.023,
        source=(
            "ONS: 'between 1994 and 2007, UK output per hour grew by around 2.1% per year' "
            "and stagnated after (https://wordpress.onsdigital.co.uk/the-productivity-slowdow"
            "n-the-what-the-how-but-little-evidence-of-the-why); Crafts and Mills: 0.28% a "
            "year from 2007 Q4 to 2019 Q3 against 2.30% in the 35 years before "
            "(https://pearsonblog.campaignserver.co.uk/tag/mills/). The default 1% sits "
            "between; range 0.3% to 2.3%."
        ),
        home="agents.investors",
        meaning=(
            "Real growth a year at which England's investment per resident holds steady "
            "(growth above it raises investment)."
        ),
    ),
    Parameter(
        name="convergence",
        default=0.02,
        unit="1/yr",
        low=0.01,
        high=0.03,
        source=(
            "Barro and Sala-i-Martin (1991), Convergence across States and Regions, BPEA: "
            "'rate of convergence ... around 2 percent per year' for US states 1880-1988 and "
            "'about 2 percent per year for per capita GDP across 73 regions of seven European"
            " countries' (http://www.columbia.edu/~xs23/papers/convbpea.htm); Gennaioli et "
            "al. (2014), Growth in regions, J Econ Growth 19: 'Regional convergence rate is "
            "about 2 % per year' over 1,528 regions of 83 countries "
            "(https://studylib.net/doc/18095882/growth-in-regions---harvard-university); "
            "Barro (2014): 1.7% to 2.6% a year depending on the sample (https://www.hks.harva"
            "rd.edu/centers/mrcbg/programs/growthpolicy/convergence-and-modernization). Range"
            " 1% to 3% a year."
        ),
        home="mechanisms.connectivity",
        meaning="Share of a ward's agglomeration premium (or discount) that closes each year.",
    ),
    Parameter(
        name="investment_skill_elasticity",
        default=0.8,
        unit="dimensionless",
        low=0.4,
        high=1.2,
        source=(
            "assumption: investment per resident rises with the ward's skills against the "
            "start with elasticity 0.8 (investors go where workers are skilled); range half "
            "to 1.5 times."
        ),
        home="agents.investors",
        meaning=(
            "Elasticity of private investment per resident to the ward's mean skills relative"
            " to the start."
        ),
    ),
    Parameter(
        name="investment_access_elasticity",
        default=0.5,
        unit="dimensionless",
        low=0.2,
        high=0.8,
        source=(
            "assumption: elasticity 0.5 to the ward's reach relative to the start (links "
            "matter to investors); range 0.2 to 0.8."
        ),
        home="mechanisms.connectivity",
        meaning=(
            "Elasticity of private investment per resident to the ward's reach relative to "
            "the start."
        ),
    ),
    Parameter(
        name="investment_income_elasticity",
        default=0.3,
        unit="dimensionless",
        low=0.1,
        high=0.5,
        source=(
            "assumption: elasticity 0.3 to the share of residents above the poverty line "
            "relative to the start (local spending power); range a third to 1.7 times."
        ),
        home="agents.investors",
        meaning=(
            "Elasticity of private investment per resident to local incomes (1 - income "
            "deprivation) relative to the start."
        ),
    ),
    Parameter(
        name="charity_per_head",
        default=10.0,
        unit="GBP per resident per year",
        low=5.0,
        high=25.0,
        source=(
            "OCSI/APPG: national charitable grant funding of GBP 12.23 a head in England, "
            "7.77 in the left-behind neighbourhoods, 19.31 in other deprived areas (GrantNav "
            "2004-2021) (https://grin.coop/ocsi-and-all-party-parliamentary-group-identifies-"
            "225-left-behind-places-in-england-that-receive-less-charitable-funding-than-othe"
            "r-areas/); all voluntary organisations together received GBP 10.9bn of donations"
            " and legacies in 2015/16 (NCVO Almanac, "
            "https://bs4c.co.uk/almanac-2018-what-does-the-data-tell-us/), about GBP 165 a UK"
            " resident, mostly to large national charities. The default (local money for "
            "community spaces and advice) is of the order of the local grant figure; range 5 "
            "to 25."
        ),
        home="agents.charities",
        meaning=(
            "Donations per resident a year at England's mean community capacity (spent on "
            "community spaces and debt advice)."
        ),
    ),
    Parameter(
        name="charity_share_community_spaces",
        default=0.6,
        unit="share",
        low=0.4,
        high=0.8,
        source=(
            "assumption: charities spend 60% of their money on community spaces and the "
            "rest on debt advice (every pound delivered is spent: the ledger records all of "
            "it); range 0.4 to 0.8."
        ),
        home="agents.charities",
        meaning="Share of charities' money spent on community spaces (the rest on debt advice).",
    ),
    Parameter(
        name="funded_per_head",
        default=1.0,
        unit="GBP per resident per year",
        low=0.5,
        high=5.0,
        source=(
            "assumption: a ward counts as funded by a programme (for long-term money) when it"
            " receives at least GBP 1 a resident that year (a threshold, not an identity; a "
            "modelling choice); range 0.5 to 5."
        ),
        home="agents.ward_services",
        meaning=(
            "Programme money per resident a year below which a ward does not count as "
            "community-funded."
        ),
    ),
    Parameter(
        name="programme_eligible_share",
        default=0.25,
        unit="share of wards",
        low=0.1,
        high=0.5,
        source=(
            "assumption: the most deprived quarter of wards by the IMD-like score may receive "
            "national programme money (a modelling choice of targeting); range 0.1 to 0.5. "
            "Default re-sized from 0.3 jointly with spend_elasticity and "
            "employment_support_effect on the New Deal for Communities evaluation's null "
            "finding on worklessness (experiments/resize_defaults.py, docs/calibration.md; "
            "the shipped accepted set's median is 0.25)."
        ),
        home="agents.programmes",
        meaning=(
            "Share of wards (most deprived by the IMD-like score) eligible for national programmes."
        ),
    ),
    Parameter(
        name="competitive_win_share",
        default=0.15,
        unit="share of eligible wards",
        low=0.05,
        high=0.4,
        source=(
            "Levelling Up Fund: round 1 '105 (34.4%) of the 305 bids were successful', round "
            "2 '111 (20.9%)' of 529 (https://dwfgroup.com/en-ie/news-and-insights/insights/20"
            "23/11/fifty-five-local-authorities-win-1bn-public-funding). A competitive round "
            "funding 15% of the eligible wards a year is at the low end of these bid success "
            "rates (not every eligible ward bids); range 0.05 to 0.4."
        ),
        home="mechanisms.capacity_trap",
        meaning="Share of eligible wards that win a competitive round each year.",
    ),
    Parameter(
        name="least_first_top_share",
        default=0.1,
        unit="share of wards",
        low=0.05,
        high=0.2,
        source=(
            "assumption: 'least first' money goes first to the most deprived 10% of wards by "
            "the IMD-like score (the same tenth that defines 'left behind', but a separate "
            "choice of the allocation rule); range 0.05 to 0.2."
        ),
        home="mechanisms.capacity_trap",
        meaning=(
            "Share of wards (most deprived by the IMD-like score) that receive the "
            "least-first part of formula and devolved money."
        ),
    ),
    Parameter(
        name="settlement_factor_min",
        default=0.5,
        unit="dimensionless",
        low=0.3,
        high=0.8,
        source=(
            "assumption: an authority's core settlement changes by at most -50% in a year "
            "whatever the levers (a bound, a modelling choice); range 0.3 to 0.8."
        ),
        home="mechanisms.austerity_gradient",
        meaning="Lower clip of the yearly growth factor of an authority's core settlement.",
    ),
    Parameter(
        name="settlement_factor_max",
        default=1.5,
        unit="dimensionless",
        low=1.2,
        high=2.0,
        source="assumption: and by at most +50% (a bound, a modelling choice); range 1.2 to 2.",
        home="mechanisms.austerity_gradient",
        meaning="Upper clip of the yearly growth factor of an authority's core settlement.",
    ),
    Parameter(
        name="engagement_participation_weight",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=1.0,
        source=(
            "assumption: engagement need falls by 0.5 per unit rise of mean participation "
            "(indicator weights are the model's, unestimated); range half to double."
        ),
        home="indicators",
        meaning="Weight of the change of mean participation in the engaged-community need.",
    ),
    Parameter(
        name="engagement_capacity_weight",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=1.0,
        source=(
            "assumption: and by 0.5 per unit rise of community capacity (indicator weights "
            "are the model's, unestimated); range half to double."
        ),
        home="indicators",
        meaning="Weight of the change of community capacity in the engaged-community need.",
    ),
    Parameter(
        name="indicator_saturation_power",
        default=1.0,
        unit="dimensionless",
        low=1.0,
        high=8.0,
        source=(
            "assumption: the rule that keeps indicators inside [0, 1] without clipping "
            "(issue 19): the headroom h left towards the bound a change c heads for becomes "
            "h (1 + |c| / (p h)) ** -p, so a change small beside its headroom applies in full "
            "wherever a ward starts (a change every ward shares moves every ward alike) and no "
            "change reaches the bound. p = 1, the gentlest, halves a change as large as the "
            "headroom; larger p stays linear longer and bends later. No evidence sets it."
        ),
        home="indicators",
        meaning=(
            "How sharply an indicator's change from its published start slows as it nears 0 or 1."
        ),
    ),
    Parameter(
        name="crime_employment_weight",
        default=0.5,
        unit="dimensionless",
        low=0.25,
        high=1.0,
        source=(
            "assumption: crime deprivation rises by 0.5 per unit rise of employment "
            "deprivation (worklessness and crime go together) (indicator weights are the "
            "model's, unestimated); range half to double."
        ),
        home="indicators",
        meaning="Weight of the change of employment deprivation in the crime indicator.",
    ),
    Parameter(
        name="crime_engagement_weight",
        default=0.3,
        unit="dimensionless",
        low=0.15,
        high=0.6,
        source=(
            "assumption: by 0.3 per unit rise of engagement need (weaker community ties) "
            "(indicator weights are the model's, unestimated); range half to double."
        ),
        home="indicators",
        meaning="Weight of the change of engagement need in the crime indicator.",
    ),
    Parameter(
        name="crime_stress_weight",
        default=0.2,
        unit="dimensionless",
        low=0.1,
        high=0.4,
        source=(
            "assumption: by 0.2 per unit rise of financial stress (indicator weights are the "
            "model's, unestimated); range half to double."
        ),
        home="indicators",
        meaning="Weight of the change of mean financial stress in the crime indicator.",
    ),
    Parameter(
        name="la_elasticity_community_spaces",
        default=1.1,
        unit="dimensionless",
        low=1.0,
        high=1.4,
        source=(
            "NAO (2018), Financial sustainability of local authorities: spending on services "
            "other than social care fell 32.6% in real terms 2010-11 to 2016-17 "
            "(https://www.nao.org.uk/press-releases/financial-sustainability-of-local-authorities-2018/); "  # noqa: E501 (an address)
            "cultural and related services fell 34.9% (e = ln 0.651 / ln 0.674 = 1.09); CIPFA: "
            "library spending GBP 1bn (2009/10) to GBP 744m (2018/19) cash, about 0.64 real (e "
            "about 1.05-1.15; "
            "https://www.thebookseller.com/news/austerity-sends-library-spending-tumbling-296-35-more-close-1130326); "  # noqa: E501 (an address)
            "IFS 2019: cultural and leisure cut over 40% per person against other services about "
            "39% "
            "(https://governmentbusiness.co.uk/news/29052019/21-cent-fall-local-service-spending). "
            "The rule renormalises the six discretionary shares, so only differences between "
            "elasticities matter; 1 (today's fixed start-year mix) is kept inside the range so "
            "that setting stays expressible."
        ),
        home="agents.authorities",
        meaning=(
            "Elasticity of the community spaces budget to the authority's core spending: above 1, "
            "cut more than the budget when money falls (and grown more when it rises)."
        ),
    ),
    Parameter(
        name="la_elasticity_transport",
        default=1.2,
        unit="dimensionless",
        low=0.9,
        high=1.8,
        source=(
            "NAO (2018), Financial sustainability of local authorities: spending on services "
            "other than social care fell 32.6% in real terms 2010-11 to 2016-17 "
            "(https://www.nao.org.uk/press-releases/financial-sustainability-of-local-authorities-2018/); "  # noqa: E501 (an address)
            "highways and transport fell 37.1% (e = 1.18); supported-bus budgets fell 45% in "
            "cash 2010/11-2017/18, about 0.49 real (e about 1.8; "
            "https://bettertransport.org.uk/media/02-july-2018-buses-in-crisis-report-2018); "
            "concessionary fares, a duty, held about flat (e about 0): the service's mix sits "
            "between. The rule renormalises the six discretionary shares, so only differences "
            "between elasticities matter; 1 (today's fixed start-year mix) is kept inside the "
            "range so that setting stays expressible."
        ),
        home="agents.authorities",
        meaning=(
            "Elasticity of the transport budget to the authority's core spending: above 1, "
            "cut more than the budget when money falls (and grown more when it rises)."
        ),
    ),
    Parameter(
        name="la_elasticity_digital",
        default=1.0,
        unit="dimensionless",
        low=0.8,
        high=1.5,
        source=(
            "assumption: no evidence found; councils fund little digital connectivity from their "
            "core budget (Broadband Delivery UK is central capital money councils matched from "
            "other sources, https://www.gov.uk/broadband-delivery-uk), so it keeps its share; "
            "range 0.8 to 1.5. The rule renormalises the six discretionary shares, so only "
            "differences between elasticities matter; 1 (today's fixed start-year mix) is kept "
            "inside the range so that setting stays expressible."
        ),
        home="agents.authorities",
        meaning=(
            "Elasticity of the digital budget to the authority's core spending: above 1, "
            "cut more than the budget when money falls (and grown more when it rises)."
        ),
    ),
    Parameter(
        name="la_elasticity_adult_education",
        default=0.7,
        unit="dimensionless",
        low=0.25,
        high=1.3,
        source=(
            "partly assumption: community learning is mainly a national grant that 'stayed "
            "fairly constant' in cash 2010-11 to 2015-16 (House of Commons Library CBP-7708, "
            "https://commonslibrary.parliament.uk/research-briefings/cbp-7708/; e about 0.2-0.3 "
            "against the NAO's 0.674 for other services); council spending on adult and "
            "community education fell 42% over about a decade by another count (e about 1.3 if "
            "real, "
            "https://www.nationalworld.com/news/uk-news/adult-education-funding-slashed-under-tories-by-42-as-boris-johnson-claims-it-will-be-rocket-fuel-in-levelling-up-3234356); "  # noqa: E501 (an address)
            "0.7 between the two. The rule renormalises the six discretionary shares, so only "
            "differences between elasticities matter; 1 (today's fixed start-year mix) is kept "
            "inside the range so that setting stays expressible."
        ),
        home="agents.authorities",
        meaning=(
            "Elasticity of the adult education budget to the authority's core spending: above 1, "
            "cut more than the budget when money falls (and grown more when it rises)."
        ),
    ),
    Parameter(
        name="la_elasticity_employment_support",
        default=1.7,
        unit="dimensionless",
        low=1.0,
        high=2.2,
        source=(
            "NAO (2018), Financial sustainability of local authorities: spending on services "
            "other than social care fell 32.6% in real terms 2010-11 to 2016-17 "
            "(https://www.nao.org.uk/press-releases/financial-sustainability-of-local-authorities-2018/); "  # noqa: E501 (an address)
            "planning and development (economic and community development within it) fell 52.8% "
            "(e = 1.90); IFS 2019: over 50% per person against about 39% for other services (e "
            "about 1.4); the ring-fenced Working Neighbourhoods Fund (over GBP 500m a year for "
            "65 deprived councils' worklessness work) ended in 2011 and councils cut it faster "
            "than asked "
            "(https://touchstoneblog.org.uk/2010/08/cuts-watch-213-further-cuts-to-the-working-neighbourhood-fund/). "  # noqa: E501 (an address)
            "The evidence gives 1.4 to 2.2. The rule renormalises the six discretionary shares, "
            "so only differences between elasticities matter; 1 (today's fixed start-year mix) "
            "is kept inside the range so that setting stays expressible."
        ),
        home="agents.authorities",
        meaning=(
            "Elasticity of the employment support budget to the authority's core spending: "
            "above 1, cut more than the budget when money falls (and grown more when it rises)."
        ),
    ),
    Parameter(
        name="la_elasticity_debt_advice",
        default=1.5,
        unit="dimensionless",
        low=1.0,
        high=2.2,
        source=(
            "NAO (2018), Financial sustainability of local authorities: spending on services "
            "other than social care fell 32.6% in real terms 2010-11 to 2016-17 "
            "(https://www.nao.org.uk/press-releases/financial-sustainability-of-local-authorities-2018/); "  # noqa: E501 (an address)
            "housing services (advice and Supporting People within them) fell 45.6% (e = 1.54); "
            "councils' grants to Citizens Advice fell about 5% in 2010-11 and 10% in 2011-12 in "
            "cash (e about 1.7 against the IFS's -10.4% for non-education services; "
            "https://www.independent.co.uk/news/uk/politics/threat-to-camerons-big-society-as-cuts-take-toll-on-charities-2330253.html); "  # noqa: E501 (an address)
            "housing advice and Supporting People budgets fell by about two thirds (e about 2.2; "
            "https://www.insidehousing.co.uk/news/news/council-spend-on-housing-cut-in-half-over-past-decade-study-reveals-61633). "  # noqa: E501 (an address)
            "The rule renormalises the six discretionary shares, so only differences between "
            "elasticities matter; 1 (today's fixed start-year mix) is kept inside the range so "
            "that setting stays expressible."
        ),
        home="agents.authorities",
        meaning=(
            "Elasticity of the debt advice budget to the authority's core spending: above 1, "
            "cut more than the budget when money falls (and grown more when it rises)."
        ),
    ),
)
