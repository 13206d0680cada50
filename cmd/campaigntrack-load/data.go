package main

// Fake people and places, shared by the sign scenario and gen. The lists
// are small on purpose: the tallies by city and state come out uneven but
// bounded, as a real petition's do. No name starts with = + - or @, which
// the server (and any spreadsheet) would take for a formula.

var firstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
	"David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
	"Thomas", "Sarah", "Carlos", "Karen", "Daniel", "Lisa", "Matthew", "Nancy",
	"Anthony", "Betty", "Mark", "Sandra", "Luis", "Ashley", "Steven", "Kimberly",
	"Andrew", "Emily", "Joshua", "Donna", "Kevin", "Michelle", "Brian", "Carol",
	"Wei", "Amanda", "Jorge", "Melissa", "Ahmed", "Deborah", "Tran", "Stephanie",
	"Jamal", "Rebecca", "Ravi", "Laura", "Diego", "Sharon", "Hiroshi", "Cynthia",
	"José", "Zoë", "Seán", "Aaliyah", "Mateo", "Priya", "Kwame", "Lucía",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
	"Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
	"Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
	"Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
	"O'Brien", "Kim", "Patel", "Chen", "Okafor", "Yamamoto", "Nowak", "Haddad",
	"", // some people leave the last name out
}

type place struct{ city, state, zip string }

// places are US cities with their state and one of their ZIP codes. The
// first ones are listed more than once so the tallies are uneven.
var places = []place{
	{"Seattle", "WA", "98101"}, {"Seattle", "WA", "98101"}, {"Seattle", "WA", "98122"},
	{"New York", "NY", "10001"}, {"New York", "NY", "10001"}, {"Brooklyn", "NY", "11201"},
	{"Los Angeles", "CA", "90012"}, {"San Francisco", "CA", "94103"}, {"Oakland", "CA", "94612"},
	{"Chicago", "IL", "60601"}, {"Houston", "TX", "77002"}, {"Austin", "TX", "78701"},
	{"Phoenix", "AZ", "85004"}, {"Philadelphia", "PA", "19107"}, {"Pittsburgh", "PA", "15222"},
	{"San Antonio", "TX", "78205"}, {"San Diego", "CA", "92101"}, {"Dallas", "TX", "75201"},
	{"Portland", "OR", "97204"}, {"Denver", "CO", "80202"}, {"Boston", "MA", "02108"},
	{"Atlanta", "GA", "30303"}, {"Miami", "FL", "33130"}, {"Minneapolis", "MN", "55401"},
	{"Detroit", "MI", "48226"}, {"Baltimore", "MD", "21202"}, {"Washington", "DC", "20001"},
	{"Albuquerque", "NM", "87102"}, {"Tucson", "AZ", "85701"}, {"Salt Lake City", "UT", "84101"},
	{"Nashville", "TN", "37203"}, {"New Orleans", "LA", "70112"}, {"Milwaukee", "WI", "53202"},
	{"Tacoma", "WA", "98402"}, {"Spokane", "WA", "99201"}, {"Newark", "NJ", "07102"},
}

var comments = []string{
	"Tech workers should not build the tools of deportation.",
	"My family came here to be safe. Please listen.",
	"Cut the contracts.",
	"I work in tech and I signed because this matters.",
	"No more data for raids.",
}
