namespace GenRec.MLNet.Synthetic;

/// <summary>
/// Fixed word lists for the synthetic catalog: per category a display name, brands, attribute words and
/// subcategories (plural name for the taxonomy, singular noun for titles). Invented brand names keep the
/// demo data free of real trademarks; the lists are code, not data files, so generation needs no I/O.
/// </summary>
internal static class SyntheticVocabulary
{
    /// <summary>Number of brands per category.</summary>
    public const int BrandsPerCategory = 5;

    /// <summary>Number of attribute words per category.</summary>
    public const int AttributesPerCategory = 8;

    /// <summary>Number of subcategories defined per category (the most <see cref="SyntheticCatalogOptions.SubcategoriesPerCategory"/> can be).</summary>
    public const int MaxSubcategories = 6;

    /// <summary>All categories, in taxonomy order (category c of a catalog is entry c).</summary>
    public static IReadOnlyList<CategoryWords> Categories { get; } =
    [
        new("Skincare",
            ["Lumina", "Dermavita", "Aqualis", "Velvessa", "Purecove"],
            ["Hydrating", "Gentle", "Fragrance-Free", "Brightening", "Soothing", "Oil-Free", "Vitamin C", "Ceramide"],
            [("Moisturizers", "Moisturizer"), ("Cleansers", "Cleanser"), ("Serums", "Serum"), ("Sunscreens", "Sunscreen"), ("Toners", "Toner"), ("Face Masks", "Face Mask")]),
        new("Haircare",
            ["Silkara", "Mane & Co", "Tressio", "Boreal Hair", "Kinkly"],
            ["Volumizing", "Repairing", "Sulfate-Free", "Argan", "Curl-Defining", "Color-Safe", "Anti-Frizz", "Strengthening"],
            [("Shampoos", "Shampoo"), ("Conditioners", "Conditioner"), ("Hair Oils", "Hair Oil"), ("Styling Gels", "Styling Gel"), ("Hair Masks", "Hair Mask"), ("Dry Shampoos", "Dry Shampoo")]),
        new("Kitchen",
            ["Ferrowright", "Casa Forge", "Oakline", "Brightpan", "Culina"],
            ["Stainless", "Nonstick", "Cast-Iron", "Bamboo", "Professional", "Compact", "Ergonomic", "Dishwasher-Safe"],
            [("Chef Knives", "Chef Knife"), ("Frying Pans", "Frying Pan"), ("Cutting Boards", "Cutting Board"), ("Mixing Bowls", "Mixing Bowl"), ("Coffee Grinders", "Coffee Grinder"), ("Spatulas", "Spatula")]),
        new("Electronics",
            ["Voltix", "Sonara", "Nexcell", "Pixelight", "Ampora"],
            ["Wireless", "Noise-Cancelling", "Fast-Charging", "Bluetooth", "Portable", "Waterproof", "USB-C", "Ultra-Slim"],
            [("Headphones", "Headphones"), ("Chargers", "Charger"), ("Speakers", "Speaker"), ("Smartwatches", "Smartwatch"), ("Keyboards", "Keyboard"), ("Webcams", "Webcam")]),
        new("Books",
            ["Harbor Press", "Quillhouse", "Northwind Books", "Larkspur", "Paperlane"],
            ["Illustrated", "Bestselling", "Hardcover", "Paperback", "Award-Winning", "Annotated", "Collector's", "Pocket"],
            [("Novels", "Novel"), ("Cookbooks", "Cookbook"), ("Biographies", "Biography"), ("Comics", "Comic"), ("Travel Guides", "Travel Guide"), ("Poetry Collections", "Poetry Collection")]),
        new("Sports",
            ["Stridex", "Peakform", "Aerofit", "Trailbound", "Corestone"],
            ["Lightweight", "Breathable", "Cushioned", "Non-Slip", "Adjustable", "Insulated", "Carbon", "Reflective"],
            [("Running Shoes", "Running Shoes"), ("Yoga Mats", "Yoga Mat"), ("Dumbbells", "Dumbbell"), ("Water Bottles", "Water Bottle"), ("Tennis Rackets", "Tennis Racket"), ("Cycling Helmets", "Cycling Helmet")]),
        new("Toys",
            ["Tinkerbox", "Playvale", "Wonderkin", "Bricktopia", "Jollybear"],
            ["Wooden", "Educational", "Colorful", "Magnetic", "Giant", "Glow-in-the-Dark", "Musical", "Travel"],
            [("Puzzles", "Puzzle"), ("Building Blocks", "Building Set"), ("Plush Toys", "Plush Toy"), ("Board Games", "Board Game"), ("Action Figures", "Action Figure"), ("Kites", "Kite")]),
        new("Garden",
            ["Greenhollow", "Terrabloom", "Rootwell", "Fernbrook", "Sunpatch"],
            ["Organic", "Heirloom", "Weatherproof", "Self-Watering", "Heavy-Duty", "Recycled", "Ceramic", "Expandable"],
            [("Seed Packs", "Seed Pack"), ("Planters", "Planter"), ("Pruning Shears", "Pruning Shears"), ("Watering Cans", "Watering Can"), ("Garden Gloves", "Garden Gloves"), ("Hoses", "Hose")]),
        new("Pet Supplies",
            ["Pawsome", "Whiskerly", "Tailwind Pets", "Furwell", "Barkbury"],
            ["Grain-Free", "Orthopedic", "Chew-Proof", "Washable", "Interactive", "Reflective", "Natural", "Calming"],
            [("Dog Food", "Dog Food"), ("Cat Toys", "Cat Toy"), ("Pet Beds", "Pet Bed"), ("Leashes", "Leash"), ("Aquarium Filters", "Aquarium Filter"), ("Bird Feeders", "Bird Feeder")]),
        new("Office",
            ["Inkwell", "Deskcraft", "Papyra", "Ledgerly", "Brightdesk"],
            ["Refillable", "Dotted", "Dimmable", "Heavy-Duty", "Recycled", "Pastel", "Magnetic", "A5"],
            [("Notebooks", "Notebook"), ("Fountain Pens", "Fountain Pen"), ("Desk Lamps", "Desk Lamp"), ("Staplers", "Stapler"), ("Sticky Notes", "Sticky Notes"), ("File Folders", "File Folder")]),
        new("Fragrance",
            ["Maison Ivoire", "Aurelle", "Nocturne", "Solenne", "Verdant Oud"],
            ["Floral", "Woody", "Citrus", "Amber", "Fresh", "Musky", "Vanilla", "Sandalwood"],
            [("Eau de Parfum", "Eau de Parfum"), ("Colognes", "Cologne"), ("Body Mists", "Body Mist"), ("Scented Candles", "Scented Candle"), ("Diffusers", "Diffuser"), ("Perfume Oils", "Perfume Oil")]),
        new("Coffee & Tea",
            ["Roastery Nine", "Leaf & Kettle", "Crema Alta", "Highgrown", "Steepwell"],
            ["Single-Origin", "Dark Roast", "Decaf", "Organic", "Fair-Trade", "Light Roast", "Loose-Leaf", "Ceremonial"],
            [("Coffee Beans", "Coffee Beans"), ("Green Teas", "Green Tea"), ("Herbal Teas", "Herbal Tea"), ("Espresso Pods", "Espresso Pods"), ("Cold Brew", "Cold Brew"), ("Matcha", "Matcha")]),
    ];

    /// <summary>Words for one category.</summary>
    /// <param name="Name">Category display name.</param>
    /// <param name="Brands">Brand names used in titles.</param>
    /// <param name="Attributes">Attribute words used in titles.</param>
    /// <param name="Subcategories">(plural taxonomy name, singular title noun) per subcategory.</param>
    internal sealed record CategoryWords(string Name, string[] Brands, string[] Attributes, (string Name, string Noun)[] Subcategories);
}
