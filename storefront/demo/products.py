"""Demo products: OCOP-style goods of the demo producers, in all six groups and three star levels.

``cert`` is (stars, score, days before today of the decision), so certificates stay current
whenever the demo is seeded. ``state`` marks the few that must not be listed.
"""
from dataclasses import dataclass

LISTED = "listed"
EXPIRED = "expired"  # verified certificate decided 37 months ago
PENDING = "pending"  # certificate waiting for an admin
DRAFT = "draft"  # not published yet


@dataclass(frozen=True)
class ProductFact:
    producer: str  # producer key
    name_vi: str
    name_en: str | None
    group: str
    unit: tuple[str, str | None]
    price: int  # whole đồng
    stock: int
    cert: tuple[int, int, int]
    shape: str  # what images.py draws
    description_vi: str
    description_en: str | None = None
    outlets: tuple[str, ...] | None = None  # outlet keys; the producer's default when None
    state: str = LISTED
    photos: int = 2  # at least a hero shot and a closer look: the gallery always has something to swipe


Fact = ProductFact  # short for the table below (P means PickupStatus elsewhere)
PIECE = ("chiếc", "piece")
TICKET = ("vé/người", "ticket per person")
POT = ("chậu", "pot")

PRODUCTS = (
    # Bát Tràng ceramics cooperative (the demo producer account)
    Fact("gom-bt", "Bình hút lộc men lam vẽ sen", "Blue-glaze fortune vase with lotus", "handicrafts", PIECE,
      1850000, 6, (5, 92, 300), "vase", "Bình dáng hút lộc cao 40 cm, men lam vẽ tay họa tiết sen.",
      "A 40 cm fortune vase, hand-painted blue lotus under the glaze.", photos=3),
    Fact("gom-bt", "Bộ ấm chén men rạn cổ", "Antique crackle-glaze tea set", "handicrafts",
      ("bộ 1 ấm 6 chén", "teapot and 6 cups"), 650000, 15, (4, 82, 150), "teapot",
      "Ấm chén men rạn nâu, nung củi theo lối cổ.", "Brown crackle glaze, wood-fired the old way."),
    Fact("gom-bt", "Bát ăn cơm men lam", "Blue-glaze rice bowls", "handicrafts", ("bộ 10 chiếc", "set of 10"),
      320000, 40, (4, 76, 1075), "bowl", "Bát men lam vẽ hoa cúc dây, dùng hằng ngày.",
      "Everyday bowls painted with chrysanthemum vines."),
    Fact("gom-bt", "Đĩa sứ vẽ tay phong cảnh làng quê", "Hand-painted village landscape plate", "handicrafts",
      ("chiếc (đường kính 30 cm)", "piece (30 cm across)"), 450000, 0, (3, 66, 620), "plate",
      "Đĩa treo tường vẽ cảnh cây đa, giếng nước, sân đình.",
      "A wall plate painted with banyan tree, well and communal house."),
    Fact("gom-bt", "Lọ hoa men hỏa biến", "Flambé-glaze flower vase", "handicrafts", PIECE, 780000, 9,
      (4, 85, 90), "vase", "Men hỏa biến đổi màu theo lửa lò, không chiếc nào giống chiếc nào.",
      "The flambé glaze changes with the kiln's fire: no two are alike."),
    Fact("gom-bt", "Cốc sứ men gio", "Ash-glaze mugs", "handicrafts", ("hộp 2 chiếc", "box of 2"), 180000, 60,
      (3, 62, 200), "cup", "Cốc men tro trấu màu xám ngọc.", "Rice-husk ash glaze in jade grey."),
    Fact("gom-bt", "Trải nghiệm làm gốm Bát Tràng", "Pottery workshop in Bát Tràng", "tourism", TICKET,
      150000, 200, (3, 68, 400), "ticket", "Hai giờ tự tay nặn và vẽ gốm, mang sản phẩm về nhà.",
      "Two hours shaping and painting your own piece to take home."),
    Fact("gom-bt", "Bình gốm men ngọc dáng tỏi", "Celadon garlic-head vase", "handicrafts", PIECE, 890000, 5,
      (4, 80, 20), "vase", "Mẫu mới đang hoàn thiện ảnh và mô tả.", None, state=DRAFT),
    Fact("gom-bt", "Chậu gốm trồng lan men nâu", "Brown-glaze orchid pot", "handicrafts", PIECE, 210000, 30,
      (3, 64, 15), "bowl", "Chậu thoát nước tốt cho lan, men nâu da lươn.",
      "A well-draining orchid pot in eel-skin brown glaze.", state=PENDING),
    # Quang Vinh ceramics company
    Fact("quang-vinh", "Tượng nghê gốm men lam", "Blue-glaze ceramic nghê guardians", "handicrafts",
      ("đôi", "pair"), 1200000, 4, (4, 80, 560), "figure", "Đôi nghê canh cửa theo mẫu gốm cổ.",
      "A pair of door guardians after antique models."),
    Fact("quang-vinh", "Bình gốm vẽ vàng kim", "Gold-painted ceramic vase", "handicrafts", PIECE, 2500000, 3,
      (5, 91, 480), "vase", "Bình men đen vẽ vàng 24K, quà tặng cao cấp.",
      "Black glaze with 24K gold painting, a gift piece."),
    Fact("quang-vinh", "Bộ đĩa sứ men trắng", "White porcelain plates", "handicrafts", ("bộ 6 chiếc", "set of 6"),
      420000, 25, (3, 58, 250), "plate", "Đĩa sứ trắng trơn, dùng được trong lò vi sóng.",
      "Plain white porcelain, microwave safe."),
    Fact("quang-vinh", "Hũ gạo gốm men rạn", "Crackle-glaze rice jar", "handicrafts",
      ("chiếc (10 kg)", "piece (10 kg)"), 550000, 12, (4, 74, 120), "jar",
      "Hũ đựng gạo có nắp, giữ gạo khô và thơm.", "A lidded jar that keeps rice dry and fragrant."),
    Fact("quang-vinh", "Đèn xông tinh dầu gốm", "Ceramic oil burner", "handicrafts", PIECE, 145000, 50,
      (3, 61, 60), "cup", "Đèn xông nến tealight, men xanh rêu.", "Tealight burner in moss-green glaze."),
    Fact("quang-vinh", "Chum gốm sành", "Stoneware water jar", "handicrafts", ("chiếc (50 lít)", "piece (50 l)"),
      900000, 6, (3, 60, 0), "jar", "Chum sành đựng nước mưa.", "A stoneware jar for rainwater.",
      state=EXPIRED),
    # Vạn Phúc silk
    Fact("lua-vp", "Khăn lụa tơ tằm Vạn Phúc vẽ tay", "Hand-painted Vạn Phúc silk scarf", "handicrafts",
      ("chiếc (180 × 90 cm)", "piece (180 × 90 cm)"), 650000, 20, (5, 93, 330), "cloth",
      "Lụa tơ tằm dệt tại làng, vẽ tay hoa sen.", "Silk woven in the village, hand-painted lotus.",
      photos=3),
    Fact("lua-vp", "Vải lụa tơ tằm hoa văn truyền thống", "Traditional patterned silk fabric", "handicrafts",
      ("mét", "metre"), 380000, 150, (4, 84, 140), "cloth", "Vải khổ 90 cm, dệt hoa văn chữ Thọ.",
      "90 cm wide, woven with the longevity pattern."),
    Fact("lua-vp", "Áo dài lụa Vạn Phúc may sẵn", "Ready-made Vạn Phúc silk áo dài", "handicrafts", PIECE,
      2200000, 5, (4, 79, 600), "cloth", "Áo dài lụa tơ tằm, đủ cỡ S đến XL.",
      "Mulberry silk áo dài, sizes S to XL."),
    Fact("lua-vp", "Cà vạt lụa tơ tằm", "Mulberry silk tie", "handicrafts", PIECE, 250000, 0, (3, 64, 220),
      "cloth", "Cà vạt lụa dệt tay, hộp quà kèm theo.", "Hand-woven silk tie in a gift box."),
    Fact("lua-vp", "Túi lụa thêu tay", "Hand-embroidered silk bag", "handicrafts", PIECE, 320000, 18,
      (3, 67, 1040), "bag", "Túi xách nhỏ bằng lụa, thêu hoa mai.", "A small silk bag embroidered with apricot blossom."),
    Fact("lua-vp", "Trải nghiệm dệt lụa Vạn Phúc", "Silk weaving experience in Vạn Phúc", "tourism", TICKET,
      120000, 300, (3, 60, 90), "ticket", "Xem kéo tơ, ngồi khung cửi và dệt thử một dải lụa.",
      "Watch silk reeling, sit at a loom and weave a strip yourself."),
    # Đường Lâm
    Fact("che-lam-dl", "Chè lam Đường Lâm", "Đường Lâm chè lam ginger rice sweets", "food",
      ("hộp 500 g", "box 500 g"), 85000, 80, (4, 78, 640), "cake",
      "Bột nếp, mật mía, gừng và lạc, làm tay theo công thức làng cổ.",
      "Sticky-rice flour, molasses, ginger and peanuts, hand-made to the village recipe."),
    Fact("che-lam-dl", "Kẹo lạc Đường Lâm", "Đường Lâm peanut brittle", "food", ("hộp 300 g", "box 300 g"),
      55000, 120, (3, 65, 180), "cake", "Lạc rang giòn và mật mía.", "Roasted peanuts and molasses."),
    Fact("che-lam-dl", "Tương nếp Đường Lâm", "Đường Lâm sticky-rice soybean sauce", "food",
      ("chai 500 ml", "bottle 500 ml"), 60000, 70, (3, 63, 700), "bottle",
      "Tương ủ chum sành từ đậu tương và xôi nếp.", "Soybeans and sticky rice fermented in stoneware jars."),
    Fact("che-lam-dl", "Mật mía Đường Lâm", None, "food", ("chai 500 ml", "bottle 500 ml"), 75000, 0,
      (3, 59, 100), "bottle", "Mật mía nấu thủ công, dùng làm chè và kho cá."),
    Fact("du-lich-dl", "Tham quan làng cổ Đường Lâm nửa ngày", "Half-day Đường Lâm ancient village tour",
      "tourism", TICKET, 250000, 500, (4, 81, 260), "house",
      "Đi bộ qua cổng làng Mông Phụ, nhà cổ, đình và giếng đá ong.",
      "A walk through Mông Phụ gate, old houses, the communal house and laterite wells."),
    Fact("du-lich-dl", "Trải nghiệm làm chè lam cùng nghệ nhân", "Chè lam making with an artisan", "tourism",
      ("suất/người", "per person"), 180000, 100, (3, 66, 30), "house",
      "Cùng nghệ nhân rang gạo, nấu mật và cắt chè lam.", "Toast rice, boil molasses and cut chè lam."),
    # Vân Từ tailoring
    Fact("may-vt", "Áo dài may đo Vân Từ", "Tailor-made Vân Từ áo dài", "handicrafts", ("bộ", "outfit"),
      1500000, 10, (4, 77, 380), "cloth", "Đo và may trong 5 ngày, vải do khách chọn.",
      "Measured and sewn in five days, in the fabric you choose."),
    Fact("may-vt", "Bộ com-lê nam may đo", "Tailor-made men's suit", "handicrafts", ("bộ", "suit"), 2500000, 6,
      (3, 69, 560), "cloth", "Com-lê hai mảnh may tay theo số đo.", "A two-piece suit hand-tailored to measure."),
    Fact("may-vt", "Áo sơ mi lụa nam", "Men's silk shirt", "handicrafts", PIECE, 450000, 30, (3, 57, 150),
      "cloth", "Sơ mi lụa thoáng mát, dáng suông.", "A cool silk shirt, straight cut."),
    # Sơn Hà woodwork
    Fact("moc-sh", "Bộ tượng gỗ Tam Đa", "Carved Tam Đa wooden figures", "handicrafts", ("bộ 3 tượng", "set of 3"),
      2400000, 2, (4, 75, 420), "figure", "Phúc – Lộc – Thọ chạm tay từ gỗ mít.",
      "Fortune, prosperity and longevity hand-carved in jackfruit wood."),
    Fact("moc-sh", "Hộp đựng trà gỗ hương", "Rosewood tea caddy", "handicrafts", PIECE, 280000, 25, (3, 64, 660),
      "box", "Hộp gỗ hương kín hơi, giữ trà thơm lâu.", "An airtight rosewood box that keeps tea fragrant."),
    Fact("moc-sh", "Khay gỗ chạm hoa sen", "Lotus-carved wooden tray", "handicrafts", PIECE, 350000, 14,
      (3, 61, 75), "box", "Khay trà chạm nổi hoa sen.", "A tea tray carved with lotus in relief."),
    # Chuyên Mỹ mother-of-pearl
    Fact("kham-cm", "Tranh khảm trai Khuê Văn Các", "Mother-of-pearl picture of Khuê Văn Các", "handicrafts",
      ("bức 60 × 40 cm", "picture 60 × 40 cm"), 2300000, 3, (5, 90, 540), "frame",
      "Khảm xà cừ trên nền sơn mài đen.", "Mother-of-pearl inlaid on black lacquer."),
    Fact("kham-cm", "Hộp trang sức khảm xà cừ", "Mother-of-pearl jewellery box", "handicrafts", PIECE, 650000, 11,
      (4, 83, 210), "box", "Hộp gỗ khảm hoa văn chim hạc.", "A wooden box inlaid with cranes."),
    Fact("kham-cm", "Bộ lót cốc khảm trai", "Inlaid coaster set", "handicrafts", ("bộ 6 chiếc", "set of 6"),
      220000, 35, (3, 63, 45), "plate", "Lót cốc gỗ khảm trai, chống nước.", "Waterproof inlaid coasters."),
    # Hạ Thái lacquer
    Fact("son-mai-ht", "Tranh sơn mài phong cảnh làng quê", "Lacquer painting of a village landscape",
      "handicrafts", ("bức 80 × 60 cm", "painting 80 × 60 cm"), 2500000, 4, (5, 94, 360), "frame",
      "Sơn ta, vàng bạc quỳ, mài tay nhiều lớp.", "Natural lacquer and gold leaf, hand-polished in layers.",
      photos=3),
    Fact("son-mai-ht", "Bình sơn mài vẽ hoa sen", "Lotus lacquer vase", "handicrafts", PIECE, 980000, 7,
      (4, 86, 600), "vase", "Bình cốt tre phủ sơn mài đỏ son.", "Bamboo core under vermilion lacquer."),
    Fact("son-mai-ht", "Khay sơn mài cẩn trứng", "Eggshell-inlaid lacquer tray", "handicrafts", PIECE, 420000, 0,
      (4, 72, 130), "box", "Khay vuông cẩn vỏ trứng hoa văn kỷ hà.", "A square tray with geometric eggshell inlay."),
    Fact("son-mai-ht", "Hộp bút sơn mài", "Lacquer pen box", "handicrafts", PIECE, 160000, 40, (3, 55, 240),
      "box", "Hộp bút để bàn, quà tặng văn phòng.", "A desk pen box, an office gift."),
    # Hồng Vân community tourism
    Fact("dlcd-hv", "Tour một ngày làng quê Hồng Vân", "One-day Hồng Vân countryside tour", "tourism", TICKET,
      450000, 300, (4, 73, 300), "house", "Đạp xe ven đê, thăm vườn, ăn trưa cơm quê.",
      "Cycle along the dyke, visit gardens, lunch at a village home."),
    Fact("dlcd-hv", "Homestay nhà cổ Hồng Vân", "Hồng Vân heritage homestay", "tourism",
      ("phòng/đêm", "room per night"), 600000, 20, (3, 67, 560), "house",
      "Nghỉ đêm trong nhà gỗ ba gian, kèm bữa sáng.", "A night in a three-bay wooden house, breakfast included."),
    Fact("dlcd-hv", "Trải nghiệm làm bánh dân gian", "Folk cake making experience", "tourism",
      ("suất/người", "per person"), 150000, 100, (3, 58, 80), "cake",
      "Gói bánh chưng, bánh khúc cùng người làng.", "Wrap bánh chưng and bánh khúc with villagers."),
    # Tản Lĩnh dairy
    Fact("sua-tl", "Sữa tươi thanh trùng Ba Vì", "Ba Vì pasteurised fresh milk", "beverages",
      ("chai 1 lít", "1 litre bottle"), 45000, 90, (4, 80, 200), "bottle",
      "Sữa bò tươi vắt trong ngày, thanh trùng nhẹ.", "Same-day milk, gently pasteurised."),
    Fact("sua-tl", "Sữa chua Ba Vì", "Ba Vì yoghurt", "food", ("hộp 6 hũ 100 g", "pack of 6 × 100 g"), 48000, 60,
      (4, 77, 620), "jar", "Sữa chua ủ men tự nhiên, ít đường.", "Naturally cultured, low in sugar."),
    Fact("sua-tl", "Bánh sữa Ba Vì", "Ba Vì milk cakes", "food", ("hộp 250 g", "box 250 g"), 65000, 100,
      (4, 88, 110), "cake", "Bánh sữa nấu từ sữa tươi và đường.", "Cooked from fresh milk and sugar.",
      outlets=("kp", "bx")),
    Fact("sua-tl", "Sữa chua uống men sống", "Drinking yoghurt with live cultures", "beverages",
      ("chai 500 ml", "bottle 500 ml"), 46000, 0, (3, 66, 70), "bottle",
      "Sữa chua uống giữ lạnh, dùng trong 7 ngày.", "Keep cold; best within 7 days."),
    Fact("sua-tl", "Phô mai tươi Ba Vì", "Ba Vì fresh cheese", "food", ("hộp 200 g", "box 200 g"), 95000, 25,
      (3, 62, 30), "cake", "Phô mai tươi làm tại trang trại.", "Farm-made fresh cheese."),
    Fact("sua-tl", "Sữa hạt sen Ba Vì", "Ba Vì lotus seed milk", "beverages",
      ("hộp 10 chai 180 ml", "box of 10 × 180 ml"), 120000, 45, (3, 60, 540), "bottle",
      "Sữa tươi nấu cùng hạt sen.", "Fresh milk cooked with lotus seeds."),
    # Ba Vì herbs
    Fact("duoc-lieu-bv", "Thuốc tắm người Dao Ba Vì", "Dao herbal bath of Ba Vì", "herbal",
      ("hộp 10 gói", "box of 10 sachets"), 150000, 80, (5, 91, 450), "leaf",
      "Hơn 20 loại lá rừng theo bài thuốc gia truyền.", "Over 20 forest herbs to a family recipe."),
    Fact("duoc-lieu-bv", "Cao xương khớp người Dao", "Dao herbal joint balm", "herbal", ("hũ 100 g", "jar 100 g"),
      250000, 30, (4, 76, 640), "jar", "Cao thảo dược xoa bóp.", "A herbal balm for massage."),
    Fact("duoc-lieu-bv", "Trà hoa vàng Ba Vì", "Ba Vì golden camellia tea", "herbal", ("hộp 100 g", "box 100 g"),
      350000, 20, (4, 82, 160), "leaf", "Hoa trà vàng sấy lạnh.", "Freeze-dried golden camellia flowers."),
    Fact("duoc-lieu-bv", "Tinh dầu sả chanh", "Lemongrass essential oil", "herbal", ("chai 50 ml", "bottle 50 ml"),
      95000, 60, (3, 63, 90), "bottle", "Chưng cất từ sả trồng trên đồi Ba Vì.",
      "Distilled from lemongrass grown on the Ba Vì hills."),
    Fact("duoc-lieu-bv", "Trà túi lọc dược liệu an thần", "Calming herbal tea bags", "herbal",
      ("hộp 25 túi", "box of 25 bags"), 85000, 0, (3, 56, 600), "leaf",
      "Lạc tiên, tâm sen và lá vông.", "Passionflower, lotus germ and coral-tree leaf."),
    # Phú Nghĩa rattan and bamboo
    Fact("may-tre-pn", "Giỏ mây đan tay có nắp", "Lidded hand-woven rattan basket", "handicrafts", PIECE, 280000,
      30, (4, 78, 580), "basket", "Giỏ mây tự nhiên, nắp có khóa gỗ.", "Natural rattan, wooden toggle lid.",
      ),
    Fact("may-tre-pn", "Đèn tre đan", "Woven bamboo lamp", "handicrafts", PIECE, 350000, 15, (3, 68, 200),
      "basket", "Chụp đèn tre đan mắt cáo.", "A bamboo lampshade in open weave."),
    Fact("may-tre-pn", "Bộ khay mây", "Rattan trays", "handicrafts", ("bộ 3 chiếc", "set of 3"), 240000, 22,
      (3, 60, 120), "basket", "Ba khay lồng nhau, đan dày.", "Three nesting trays, tightly woven."),
    Fact("may-tre-pn", "Túi xách mây nữ", "Rattan handbag", "handicrafts", PIECE, 320000, 0, (4, 71, 40), "bag",
      "Túi mây tròn, quai da.", "A round rattan bag with leather handles."),
    # Duyên Hà ornamental plants
    Fact("cay-canh-dh", "Lan hồ điệp chậu 3 cành", "Phalaenopsis orchid, 3 stems", "ornamental", POT, 850000, 12,
      (4, 80, 100), "flower", "Lan hồ điệp trắng, chậu sứ.", "White moth orchids in a porcelain pot.",
      ),
    Fact("cay-canh-dh", "Cây bonsai sam hương mini", "Mini bonsai", "ornamental", POT, 1200000, 5, (4, 74, 530),
      "plant", "Bonsai dáng trực, tuổi cây trên 5 năm.", "Upright style, over five years old."),
    Fact("cay-canh-dh", "Cây kim ngân chậu gốm", "Money tree in a ceramic pot", "ornamental", POT, 320000, 25,
      (3, 62, 260), "plant", "Cây để bàn, dễ chăm sóc.", "An easy-care desk plant."),
    Fact("cay-canh-dh", "Cây lưỡi hổ để bàn", "Desk snake plant", "ornamental", POT, 150000, 40, (3, 55, 60),
      "plant", "Lọc không khí, ưa bóng râm.", "Cleans the air, likes shade."),
    Fact("cay-canh-dh", "Quất cảnh Tết", "Lunar New Year kumquat tree", "ornamental", POT, 900000, 0,
      (3, 65, 700), "plant", "Quất sai quả, đặt trước Tết.", "Heavy with fruit; order before Tết."),
    # Di Trạch food processing
    Fact("thuc-pham-dt", "Miến dong Di Trạch", "Di Trạch arrowroot glass noodles", "food",
      ("gói 500 g", "pack 500 g"), 65000, 150, (4, 79, 250), "bag", "Miến dong sợi dai, không chất tẩy trắng.",
      "Chewy arrowroot noodles with no bleach."),
    Fact("thuc-pham-dt", "Rượu nếp cái hoa vàng", "Yellow-flower sticky-rice wine", "beverages",
      ("chai 500 ml", "bottle 500 ml"), 120000, 60, (4, 73, 570), "bottle",
      "Rượu nấu từ nếp cái hoa vàng, 35% vol.", "Distilled from yellow-flower sticky rice, 35% vol."),
    Fact("thuc-pham-dt", "Kẹo dồi vừng", "Sesame candy sticks", "food", ("hộp 400 g", "box 400 g"), 58000, 90,
      (3, 61, 120), "cake", "Kẹo mạch nha cuộn vừng rang.", "Malt candy rolled in toasted sesame."),
    Fact("thuc-pham-dt", "Nước cốt gừng mật ong", "Ginger and honey concentrate", "beverages",
      ("chai 330 ml", "bottle 330 ml"), 89000, 45, (3, 59, 180), "bottle",
      "Pha với nước ấm, uống ngày lạnh.", "Mix with warm water on cold days."),
    Fact("thuc-pham-dt", "Giấm gạo lên men", None, "food", ("chai 500 ml", "bottle 500 ml"), 49000, 70,
      (3, 57, 40), "bottle", "Giấm gạo ủ tự nhiên 60 ngày."),
    # Vân Hà woodwork
    Fact("go-vh", "Bộ đũa gỗ hương", "Rosewood chopsticks", "handicrafts", ("hộp 10 đôi", "box of 10 pairs"),
      180000, 50, (3, 64, 300), "box", "Đũa gỗ hương tiện tay, không sơn.", "Turned rosewood, unvarnished."),
    Fact("go-vh", "Tượng trâu gỗ mít", "Jackfruit-wood buffalo", "handicrafts", PIECE, 750000, 8, (4, 72, 520),
      "figure", "Trâu nằm chạm nguyên khối.", "A resting buffalo carved from one block."),
    # Hòa Lâm honey: its producer is still pending, so this is not listed either
    Fact("mat-ong-hl", "Mật ong hoa nhãn Hòa Lâm", "Hòa Lâm longan honey", "food", ("chai 500 ml", "bottle 500 ml"),
      180000, 40, (3, 66, 100), "bottle", "Mật ong hoa nhãn nguyên chất.", "Pure longan-blossom honey."),
)
