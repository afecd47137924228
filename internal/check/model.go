package check

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pufa-gov/pufa/internal/campaign"
)

// hugoFields are front-matter fields Hugo itself understands; they are
// allowed on every page.
var hugoFields = []string{
	"title", "linkTitle", "description", "summary", "keywords", "date", "publishDate",
	"expiryDate", "lastmod", "draft", "weight", "slug", "url", "aliases", "layout", "type",
	"outputs", "build", "cascade", "sitemap", "markup", "headless", "menus", "menu",
	"params", "resources", "images", "translationKey", "isCJKLanguage", "tags",
}

// The fields of the content model, by section, in addition to hugoFields.
var (
	catalogFields = []string{
		"law", "lawRef", "lawSource", "lawStatus", "categories", "departments", "methods",
		"audiences", "campaigns", "reviewed", "reviewInterval", "status", "source",
	}
	campaignFields = []string{
		"festival", "year", "eventDate", "window", "laws", "catalog", "departments",
		"events", "source",
	}
	windowFields = []string{"start", "end"}
	eventFields  = []string{"title", "start", "end", "place", "address"}
)

// The values of enumerated fields.
var (
	catalogStatuses = []string{"in-force", "adjusted", "retired"}
	lawStatuses     = []string{"in-force", "amended", "repealed", "not-in-library"}
	lawPageStatuses = []string{"in-force", "superseded", "repealed", "not-imported"}
	changeKinds     = []string{"added", "adjusted", "retired"}
)

// dateFields are the date fields Hugo reads; all must carry an offset.
var dateFields = []string{"date", "publishDate", "pubdate", "published", "lastmod", "modified", "expiryDate", "unpublishdate"}

// freshDays is how old the newest news item may be before the news
// section counts as not updated; inspections of government websites
// flag 动态 columns left longer than two weeks.
const freshDays = 14

// checkAll runs every check on every page.
func (c *checker) checkAll() {
	c.vocab = c.loadVocab()
	c.cal = c.loadCalendar()
	for _, p := range c.pages {
		if p.fm != nil {
			c.checkDates(p)
			if !p.branch {
				switch p.section {
				case "catalog":
					c.checkCatalog(p)
				case "campaigns":
					c.checkCampaign(p)
				case "laws":
					c.checkLaw(p)
				case "news":
					c.checkNews(p)
				case "changes":
					c.checkChange(p)
				}
			}
		}
		c.checkBody(p)
	}
	c.checkFreshness()
	c.checkSynonyms()
}

// checkDates checks Hugo's date fields: each must parse and carry a UTC
// offset, or a page scheduled for 09:00 in Shanghai appears at 09:00 UTC.
func (c *checker) checkDates(p *page) {
	for _, f := range dateFields {
		if key, val, ok := p.get(f); ok {
			c.dateTimeValue(p, key, val, key.Value)
		}
	}
	if key, val, ok := p.get("draft"); ok && (val.Kind != yaml.ScalarNode || val.ShortTag() != "!!bool") {
		c.errorf(p, key, "draft", "must be true or false, got %s", describe(val))
	}
	if key, val, ok := p.get("weight"); ok {
		c.integerValue(p, key, val, "weight", -1000000, 1000000)
	}
}

// unknownFields warns about fields that are neither Hugo's nor the
// model's, which are usually typing mistakes (departmnets).
func (c *checker) unknownFields(p *page, m *yaml.Node, prefix string, known ...[]string) {
	var all []string
	for _, k := range known {
		all = append(all, k...)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if slices.ContainsFunc(all, func(s string) bool { return strings.EqualFold(s, k.Value) }) {
			continue
		}
		c.warnf(p, k, prefix+k.Value, "unknown field%s", suggest(k.Value, all))
	}
}

func (c *checker) checkCatalog(p *page) {
	v := c.vocab
	c.unknownFields(p, p.fm, "", hugoFields, catalogFields)
	c.text(p, "title", true, ": the title shown to readers, e.g. 《中华人民共和国民法典》普法责任")
	c.text(p, "law", true, ": the official title of the law, e.g. 中华人民共和国民法典")
	c.dateTime(p, "date", true, ": e.g. 2026-03-16T09:00:00+08:00")
	c.checkTerms(p, "categories", v.categories, 1, true, "category")
	c.checkTerms(p, "departments", v.departments, 1, false, "department")
	c.checkTerms(p, "methods", v.methods, 1, false, "method")
	c.checkTerms(p, "audiences", v.audiences, 1, false, "audience")
	c.checkFestivals(p)
	status, _, _ := c.enum(p, "status", true, catalogStatuses...)
	lawStatus, lawStatusKey, _ := c.enum(p, "lawStatus", false, lawStatuses...)

	// The law: an imported page, or the official source.
	refKey, refVal, hasRef := p.get("lawRef")
	srcKey, srcVal, hasSrc := p.get("lawSource")
	target := ""
	if hasRef {
		if _, n, ok := c.textValue(p, refKey, refVal, "lawRef"); ok {
			target, _ = c.ref(p, n, "lawRef", "laws")
		}
	}
	if hasSrc {
		if s, _, ok := c.textValue(p, srcKey, srcVal, "lawSource"); ok && !webURL(s) {
			c.errorf(p, srcKey, "lawSource", "must be an http(s) address, got %q", s)
		}
	} else if !hasRef {
		c.errorf(p, nil, "lawSource", "missing: give lawRef (the law's page, laws/name.md) or lawSource (the official source, https://…)")
	}
	if target != "" && status != "retired" {
		c.checkLawVersion(p, refKey, target)
	}
	if lawStatus == "repealed" && status == "in-force" {
		c.warnf(p, lawStatusKey, "lawStatus", "the law is repealed but the entry's status is in-force: retire or adjust the entry")
	}

	// Dynamic management: the entry is reviewed every reviewInterval months.
	reviewed, revKey, okRev := c.day(p, "reviewed", true)
	interval, _, okInt := c.integer(p, "reviewInterval", true, 1, 36, ": months between reviews, 1 to 36")
	if okRev && reviewed.After(c.today) {
		c.warnf(p, revKey, "reviewed", "date %s is in the future", reviewed.Format(dayLayout))
	}
	if okRev && okInt && status != "retired" {
		if due := addMonths(reviewed, interval); c.today.After(due) {
			c.warnf(p, revKey, "reviewed", "review overdue since %s (last reviewed %s, every %s)", due.Format(dayLayout), reviewed.Format(dayLayout), plural(interval, "month"))
		}
	}
}

// checkFestivals checks the campaigns a catalog entry belongs to.
func (c *checker) checkFestivals(p *page) {
	key, val, ok := p.get("campaigns")
	if !ok {
		return
	}
	list, _ := c.stringList(p, key, val, "campaigns")
	for _, it := range list {
		c.festivalKey(p, it, "campaigns")
	}
}

// festivalKey checks that n is the key of a festival of the calendar.
func (c *checker) festivalKey(p *page, n *yaml.Node, field string) (campaign.Festival, bool) {
	f, ok := campaign.Lookup(n.Value)
	switch {
	case !ok:
		c.errorf(p, n, field, "unknown festival %q%s (pufa calendar lists the keys)", n.Value, suggest(n.Value, campaign.Keys()))
		return f, false
	case f.Key != n.Value:
		c.errorf(p, n, field, "write the festival's key %q, not %q", f.Key, n.Value)
		return f, false
	}
	return f, true
}

// lawPage is what the checks need of a law page.
type lawPage struct {
	rel, status, supersededBy, lawKey, version, title string
}

func (c *checker) law(rel string) (lawPage, bool) {
	p := c.byRel[rel]
	if p == nil || p.fm == nil {
		return lawPage{}, false
	}
	get := func(f string) string {
		if _, v, ok := p.get(f); ok && v.Kind == yaml.ScalarNode {
			return strings.TrimSpace(v.Value)
		}
		return ""
	}
	// A repealed law's successor is the law that replaced it.
	next := get("supersededBy")
	if next == "" {
		next = get("repealedBy")
	}
	return lawPage{rel, get("status"), cleanRel(next), get("lawKey"), get("version"), get("title")}, true
}

// current follows supersededBy or repealedBy (else the law's lawKey
// group) from a superseded or repealed law page to the version in force.
func (c *checker) current(l lawPage) (lawPage, bool) {
	seen := map[string]bool{l.rel: true}
	for l.status == "superseded" || l.status == "repealed" {
		next := ""
		if l.supersededBy != "" {
			next = c.pageAt(l.supersededBy)
		}
		if next == "" && l.lawKey != "" {
			next = c.newestOf(l.lawKey)
		}
		n, ok := c.law(next)
		if !ok || seen[next] {
			return l, false
		}
		seen[next] = true
		l = n
	}
	return l, true
}

// newestOf returns the page of the newest version in a lawKey group that
// is not superseded.
func (c *checker) newestOf(key string) string {
	best, bestV := "", ""
	for _, p := range c.pages {
		if p.section != "laws" || p.branch {
			continue
		}
		l, ok := c.law(p.rel)
		if !ok || l.lawKey != key || l.status == "superseded" || l.status == "repealed" {
			continue
		}
		if best == "" || l.version > bestV {
			best, bestV = p.rel, l.version
		}
	}
	return best
}

// checkLawVersion warns when a catalog entry points at a law page that a
// newer version has superseded.
func (c *checker) checkLawVersion(p *page, key *yaml.Node, target string) {
	l, ok := c.law(target)
	if !ok || (l.status != "superseded" && l.status != "repealed") {
		return
	}
	cur, found := c.current(l)
	switch {
	case found && cur.rel != l.rel:
		ver := ""
		if cur.version != "" {
			ver = ", version " + cur.version
		}
		c.warnf(p, key, "lawRef", "%s is %s by %s (%s%s): point lawRef at the current version or adjust the entry", target, l.status, cur.rel, cur.title, ver)
	case l.status == "repealed":
		c.warnf(p, key, "lawRef", "%s is repealed: retire the entry or point it at the law that replaced it", target)
	default:
		c.warnf(p, key, "lawRef", "%s is superseded and its newer version is not in content/laws: give lawSource and lawStatus, or import the new version", target)
	}
}

func (c *checker) checkCampaign(p *page) {
	c.unknownFields(p, p.fm, "", hugoFields, campaignFields)
	c.text(p, "title", true, ": e.g. 2026年清明节殡葬改革法规宣传")
	c.text(p, "source", true, ": 来源, the publishing department, e.g. 嘉定区民政局")
	c.dateTime(p, "date", true, ": the publication time, e.g. 2026-03-20T09:00:00+08:00")
	c.refs(p, "laws", "laws", false)
	c.refs(p, "catalog", "catalog", false)
	if _, ok := p.keys["departments"]; ok {
		c.checkTerms(p, "departments", c.vocab.departments, 0, false, "department")
	}

	var fest campaign.Festival
	fkey, fval, ok := p.get("festival")
	festOK := false
	if !ok {
		c.errorf(p, nil, "festival", "missing: the festival's key, e.g. qingming (pufa calendar lists them)")
	} else if _, n, ok := c.textValue(p, fkey, fval, "festival"); ok {
		fest, festOK = c.festivalKey(p, n, "festival")
	}
	year, yearKey, yearOK := c.integer(p, "year", true, campaign.MinYear, campaign.MaxYear, ": e.g. 2026")
	if yearOK {
		// content/campaigns/<year>/<festival>.md
		if parts := strings.Split(p.rel, "/"); len(parts) == 3 {
			if dirYear, err := strconv.Atoi(parts[1]); err == nil && dirYear != year {
				c.errorf(p, yearKey, "year", "%d does not match the folder campaigns/%s/", year, parts[1])
			}
		}
	}
	event, evKey, evOK := c.day(p, "eventDate", true)
	if evOK && yearOK && event.Year() != year {
		c.errorf(p, evKey, "eventDate", "%s is not in %d", event.Format(dayLayout), year)
	} else if evOK && yearOK && festOK {
		occ, err := c.cal.Lookup(fest.Key, year)
		switch {
		case errors.Is(err, campaign.ErrNotObserved):
			c.errorf(p, yearKey, "year", "%s was not observed in %d", fest.Name, year)
		case err != nil:
			c.errorf(p, evKey, "eventDate", "cannot compute the date of %s in %d: %v", fest.Name, year, err)
		default:
			if want := occ.Date.String(); want != event.Format(dayLayout) {
				note := ""
				if occ.Provisional {
					note = " (provisional: add the year's announced dates to site/data/campaigns.yaml)"
				}
				c.errorf(p, evKey, "eventDate", "%s is not the date of %s in %d: the calendar gives %s%s", event.Format(dayLayout), fest.Name, year, want, note)
			}
		}
	}
	c.checkWindow(p, event, evOK)
	c.checkEvents(p)
}

// checkWindow checks window: {start, end} and that it contains the day.
func (c *checker) checkWindow(p *page, event time.Time, evOK bool) {
	key, val, ok := p.get("window")
	if !ok {
		c.errorf(p, nil, "window", "missing: the campaign window, {start: YYYY-MM-DD, end: YYYY-MM-DD}")
		return
	}
	if val.Kind != yaml.MappingNode {
		c.errorf(p, key, "window", "must be {start: YYYY-MM-DD, end: YYYY-MM-DD}, not %s", describe(val))
		return
	}
	c.unknownFields(p, val, "window.", windowFields)
	var start, end time.Time
	var startKey, endKey *yaml.Node
	var okS, okE bool
	for i := 0; i+1 < len(val.Content); i += 2 {
		k, v := val.Content[i], deref(val.Content[i+1])
		switch k.Value {
		case "start":
			start, startKey, okS = c.dayValue(p, k, v, "window.start")
		case "end":
			end, endKey, okE = c.dayValue(p, k, v, "window.end")
		}
	}
	if startKey == nil {
		c.errorf(p, key, "window.start", "missing")
	}
	if endKey == nil {
		c.errorf(p, key, "window.end", "missing")
	}
	if !okS || !okE {
		return
	}
	if end.Before(start) {
		c.errorf(p, endKey, "window.end", "%s is before window.start %s", end.Format(dayLayout), start.Format(dayLayout))
		return
	}
	if evOK && (event.Before(start) || event.After(end)) {
		c.errorf(p, key, "window", "%s to %s does not contain eventDate %s", start.Format(dayLayout), end.Format(dayLayout), event.Format(dayLayout))
	}
}

// checkEvents checks the offline events of a campaign.
func (c *checker) checkEvents(p *page) {
	key, val, ok := p.get("events")
	if !ok || isNull(val) {
		return
	}
	if val.Kind != yaml.SequenceNode {
		c.errorf(p, key, "events", "must be a list of events, not %s", describe(val))
		return
	}
	for i, ev := range val.Content {
		ev = deref(ev)
		prefix := fmt.Sprintf("events[%d]", i)
		if ev.Kind != yaml.MappingNode {
			c.errorf(p, ev, prefix, "must be an event with title, start, end and place")
			continue
		}
		c.unknownFields(p, ev, prefix+".", eventFields)
		fields := map[string]entry{}
		for j := 0; j+1 < len(ev.Content); j += 2 {
			fields[ev.Content[j].Value] = entry{ev.Content[j], deref(ev.Content[j+1])}
		}
		for _, f := range []string{"title", "place"} {
			if e, ok := fields[f]; ok {
				c.textValue(p, e.key, e.val, prefix+"."+f)
			} else {
				c.errorf(p, ev, prefix+"."+f, "missing")
			}
		}
		if e, ok := fields["address"]; ok {
			c.textValue(p, e.key, e.val, prefix+".address")
		}
		var start, end time.Time
		var okS, okE bool
		var endKey *yaml.Node
		if e, ok := fields["start"]; ok {
			start, _, okS = c.dateTimeValue(p, e.key, e.val, prefix+".start")
		} else {
			c.errorf(p, ev, prefix+".start", "missing: e.g. 2026-04-04T09:00:00+08:00")
		}
		if e, ok := fields["end"]; ok {
			end, endKey, okE = c.dateTimeValue(p, e.key, e.val, prefix+".end")
		} else {
			c.errorf(p, ev, prefix+".end", "missing: e.g. 2026-04-04T11:30:00+08:00")
		}
		if okS && okE && !end.After(start) {
			c.errorf(p, endKey, prefix+".end", "%s is not after start %s", end.Format(time.RFC3339), start.Format(time.RFC3339))
		}
	}
}

func (c *checker) checkLaw(p *page) {
	c.text(p, "title", true, ": the official title of the law")
	status, statusKey, _ := c.enum(p, "status", true, lawPageStatuses...)
	// The importer leaves out date when a law's version is unknown;
	// checkDates still checks it when present.
	for _, f := range []string{"passed", "effective", "version"} {
		c.day(p, f, false)
	}
	if key, val, ok := p.get("amended"); ok {
		list, _ := c.stringList(p, key, val, "amended")
		for _, it := range list {
			c.dayValue(p, it, it, "amended")
		}
	}
	key, val, ok := p.get("supersededBy")
	switch {
	case ok:
		if _, n, ok := c.textValue(p, key, val, "supersededBy"); ok {
			if t, ok := c.ref(p, n, "supersededBy", "laws"); ok && t == p.rel {
				c.errorf(p, key, "supersededBy", "a law cannot supersede itself")
			}
		}
	case status == "superseded":
		c.errorf(p, statusKey, "supersededBy", "missing: a superseded version names the version that replaced it (laws/name.md)")
	}
	if key, val, ok := p.get("repealedBy"); ok {
		if _, n, ok := c.textValue(p, key, val, "repealedBy"); ok {
			if t, ok := c.ref(p, n, "repealedBy", "laws"); ok && t == p.rel {
				c.errorf(p, key, "repealedBy", "a law cannot replace itself")
			}
		}
	}
	c.day(p, "repealedOn", false)
}

func (c *checker) checkNews(p *page) {
	c.text(p, "title", true, "")
	c.dateTime(p, "date", true, ": e.g. 2026-03-16T09:00:00+08:00")
	c.text(p, "source", true, ": 来源, e.g. 嘉定区民政局")
	if _, ok := p.keys["departments"]; ok {
		c.checkTerms(p, "departments", c.vocab.departments, 0, false, "department")
	}
}

func (c *checker) checkChange(p *page) {
	c.text(p, "title", true, "")
	c.dateTime(p, "date", true, ": e.g. 2026-03-16T09:00:00+08:00")
	c.text(p, "source", true, ": 来源, e.g. 嘉定区民政局")
	c.enum(p, "change", true, changeKinds...)
	c.refs(p, "catalog", "catalog", true)
}

// published returns when a page appears on the site: publishDate, else
// date. ok is false for drafts and pages without a valid date.
func published(p *page) (time.Time, *yaml.Node, bool) {
	if p.fm == nil {
		return time.Time{}, nil, false
	}
	if _, v, ok := p.get("draft"); ok && v.Value == "true" {
		return time.Time{}, nil, false
	}
	for _, f := range []string{"publishDate", "date"} {
		if k, v, ok := p.get(f); ok {
			if t, _, ok := parseDateTime(v.Value); ok {
				return t, k, true
			}
		}
	}
	return time.Time{}, nil, false
}

// checkFreshness warns when the news section's newest published item is
// older than freshDays.
func (c *checker) checkFreshness() {
	if !c.dirs["news"] {
		return
	}
	var newest *page
	var newestT time.Time
	var newestKey *yaml.Node
	for _, p := range c.pages {
		if p.section != "news" || p.branch {
			continue
		}
		t, k, ok := published(p)
		if !ok || t.After(c.now) {
			continue
		}
		if newest == nil || t.After(newestT) {
			newest, newestT, newestKey = p, t, k
		}
	}
	if newest == nil {
		if idx := c.byRel["news/_index.md"]; idx != nil {
			c.warnf(idx, nil, "", "动态 section has no published items")
		}
		return
	}
	y, m, d := newestT.In(shanghai).Date()
	days := int(c.today.Sub(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	if days > freshDays {
		c.warnf(newest, newestKey, newestKey.Value, "动态 section not updated for %d days: this is its newest item (inspections expect news at least every %d days)", days, freshDays)
	}
}
