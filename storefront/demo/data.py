"""Facts for the demo: real Hanoi craft villages and OCOP sales points, demo producers and accounts.

Villages and sales points follow docs/domain.md §Demo data. Crafts of the villages it names without one
(Phú Nghĩa, Duyên Hà, Di Trạch, Vân Hà, Hòa Lâm) and every producer are illustrative.
"""
from dataclasses import dataclass

DEMO_PASSWORD = "demo-password-2026"  # dev only: the seed refuses to run in production


@dataclass(frozen=True)
class VillageFact:
    name: str
    commune: str
    district: str
    craft_vi: str
    craft_en: str
    description_vi: str
    description_en: str
    name_en: str | None = None


@dataclass(frozen=True)
class OutletFact:
    key: str
    name: str
    name_en: str
    place_type: str
    address: str
    village: str | None
    hours_vi: str
    hours_en: str
    phone: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ProducerFact:
    key: str
    name: str
    kind: str
    village: str
    phone: str
    email: str
    outlets: tuple[str, ...]  # keys of the outlets that carry its products by default
    description_vi: str
    description_en: str
    status: str = "verified"


@dataclass(frozen=True)
class AccountFact:
    email: str
    name: str
    role: str
    producer: str | None = None  # producer key
    outlet: str | None = None  # outlet key


VILLAGES = (
    VillageFact("Bát Tràng", "xã Bát Tràng", "Gia Lâm", "gốm sứ", "ceramics",
                "Làng gốm hơn 500 năm bên bờ sông Hồng, nổi tiếng với men lam, men rạn và men hỏa biến.",
                "A pottery village of over 500 years on the Red River, known for blue, crackle and "
                "flambé glazes."),
    VillageFact("Vạn Phúc", "phường Vạn Phúc", "Hà Đông", "dệt lụa tơ tằm", "silk weaving",
                "Làng lụa cổ bên sông Nhuệ, nơi còn những khung dệt lụa tơ tằm truyền thống.",
                "An old silk village on the Nhuệ river where traditional silk looms still work."),
    VillageFact("Làng cổ Đường Lâm", "xã Đường Lâm", "Sơn Tây", "làng cổ, chè lam, tương",
                "ancient village, chè lam sweets, soybean sauce",
                "Làng cổ đá ong với những ngôi nhà hàng trăm năm tuổi, chè lam và tương truyền thống.",
                "An ancient laterite village of century-old houses, chè lam sweets and soybean sauce.",
                name_en="Đường Lâm Ancient Village"),
    VillageFact("Vân Từ", "xã Vân Từ", "Phú Xuyên", "may đo", "tailoring",
                "Làng may đo truyền thống, nổi tiếng với áo dài và com-lê may tay.",
                "A tailoring village known for hand-made áo dài and suits."),
    VillageFact("Sơn Hà", "xã Sơn Hà", "Phú Xuyên", "mộc", "woodwork",
                "Làng mộc chạm khắc đồ thờ và đồ gỗ mỹ nghệ.",
                "A woodworking village carving altar pieces and fine wooden wares."),
    VillageFact("Chuyên Mỹ", "xã Chuyên Mỹ", "Phú Xuyên", "khảm trai", "mother-of-pearl inlay",
                "Làng khảm trai nổi tiếng với tranh, hộp và đồ gỗ khảm xà cừ.",
                "Famous for mother-of-pearl inlaid pictures, boxes and furniture."),
    VillageFact("Hạ Thái", "xã Duyên Thái", "Thường Tín", "sơn mài", "lacquer",
                "Làng sơn mài truyền thống với tranh, bình và khay sơn ta.",
                "A traditional lacquer village making paintings, vases and trays in natural lacquer."),
    VillageFact("Hồng Vân", "xã Hồng Vân", "Thường Tín", "du lịch cộng đồng", "community tourism",
                "Làng ven sông Hồng đón khách trải nghiệm đời sống nông thôn và nghề truyền thống.",
                "A Red River village welcoming visitors to rural life and traditional crafts."),
    VillageFact("Tản Lĩnh", "xã Tản Lĩnh", "Ba Vì", "bò sữa, dược liệu", "dairy, medicinal herbs",
                "Vùng bò sữa dưới chân núi Ba Vì, nơi người Dao còn giữ bài thuốc nam.",
                "Dairy country at the foot of Ba Vì mountain, where Dao people keep herbal remedies."),
    VillageFact("Phú Nghĩa", "xã Phú Nghĩa", "Chương Mỹ", "mây tre đan", "rattan and bamboo weaving",
                "Vùng mây tre đan với giỏ, làn, đèn và đồ nội thất đan tay.",
                "Rattan and bamboo weaving: baskets, lamps and hand-woven furniture."),
    VillageFact("Duyên Hà", "xã Duyên Hà", "Thanh Trì", "hoa, cây cảnh", "flowers and ornamental plants",
                "Bãi bồi ven sông Hồng trồng hoa, lan và cây cảnh.",
                "Red River flood plains growing flowers, orchids and ornamental plants."),
    VillageFact("Di Trạch", "xã Di Trạch", "Hoài Đức", "chế biến nông sản", "food processing",
                "Các cơ sở chế biến miến, bánh kẹo và rượu nếp.",
                "Workshops making glass noodles, sweets and sticky-rice wine."),
    VillageFact("Vân Hà", "xã Vân Hà", "Đông Anh", "đồ gỗ mỹ nghệ", "fine woodwork",
                "Làng nghề đồ gỗ mỹ nghệ ven sông Đuống.",
                "A fine woodwork village on the Đuống river."),
    VillageFact("Hòa Lâm", "xã Hòa Lâm", "Ứng Hòa", "nông sản, mật ong", "farm produce, honey",
                "Vùng lúa và nuôi ong ở phía nam Hà Nội.",
                "Rice fields and beekeeping in the south of Hanoi."),
)

_DAILY = ("Hằng ngày 8:00–17:30", "Daily 8:00–17:30")
_MALL = ("Hằng ngày 8:00–22:00", "Daily 8:00–22:00")

OUTLETS = (
    OutletFact("bt", "Khu tinh hoa làng nghề Việt", "Vietnamese Craft Village Quintessence",
               "craft_village", "Công ty gốm sứ Quang Vinh, thôn 5, xã Bát Tràng, Gia Lâm, Hà Nội",
               "Bát Tràng", *_DAILY, "0243 874 0123", 21.0284, 105.9127),
    OutletFact("vp", "Điểm giới thiệu sản phẩm OCOP làng lụa Vạn Phúc", "Vạn Phúc Silk Village OCOP Point",
               "craft_village", "Phố Vạn Phúc, phường Vạn Phúc, Hà Đông, Hà Nội",
               "Vạn Phúc", "Hằng ngày 8:00–18:00", "Daily 8:00–18:00", "0243 353 0456", 20.9802, 105.7738),
    OutletFact("dl", "Điểm bán sản phẩm OCOP làng cổ Đường Lâm", "Đường Lâm Ancient Village OCOP Point",
               "tourist_area", "Cổng làng Mông Phụ, xã Đường Lâm, Sơn Tây, Hà Nội",
               "Làng cổ Đường Lâm", *_DAILY, "0243 383 0789", 21.1578, 105.4762),
    OutletFact("kp", "Cửa hàng Khánh Phát – sản phẩm sữa Ba Vì", "Khánh Phát shop – Ba Vì dairy products",
               "craft_village", "Xã Tản Lĩnh, Ba Vì, Hà Nội",
               "Tản Lĩnh", "Hằng ngày 7:00–19:00", "Daily 7:00–19:00", "0979 123 456", 21.0762, 105.3854),
    OutletFact("bigc", "Góc sản phẩm OCOP – BigC Thăng Long", "OCOP corner – BigC Thăng Long",
               "supermarket", "222 Trần Duy Hưng, Cầu Giấy, Hà Nội",
               None, *_MALL, "0243 784 5678", 21.0069, 105.7951),
    OutletFact("mm", "Góc sản phẩm OCOP – MM Mega Market Thăng Long",
               "OCOP corner – MM Mega Market Thăng Long",
               "supermarket", "Đường Phạm Văn Đồng, Xuân Đỉnh, Bắc Từ Liêm, Hà Nội",
               None, "Hằng ngày 6:00–22:00", "Daily 6:00–22:00", "0243 755 2345", 21.0656, 105.7848),
    OutletFact("bx", "Điểm bán OCOP – Bến xe Mỹ Đình", "OCOP point – Mỹ Đình bus station",
               "transport_hub", "20 Phạm Hùng, Mỹ Đình 2, Nam Từ Liêm, Hà Nội",
               None, "Hằng ngày 5:30–21:00", "Daily 5:30–21:00", "0243 768 1234", 21.0285, 105.7784),
    OutletFact("dx", "Quầy sản phẩm OCOP – chợ Đồng Xuân", "OCOP stall – Đồng Xuân market",
               "market", "Phố Đồng Xuân, Hoàn Kiếm, Hà Nội",
               None, "Hằng ngày 6:00–18:00", "Daily 6:00–18:00", "0243 828 6789", 21.0382, 105.8496),
    OutletFact("px", "Trung tâm giới thiệu sản phẩm làng nghề Phú Xuyên",
               "Phú Xuyên Craft Village Showroom",
               "other", "Thị trấn Phú Xuyên, Phú Xuyên, Hà Nội",
               None, "Thứ Hai–Thứ Bảy 8:00–17:00", "Mon–Sat 8:00–17:00", "0243 385 4321", 20.7390, 105.9095),
)

PRODUCERS = (
    ProducerFact("gom-bt", "HTX Gốm sứ Bát Tràng", "cooperative", "Bát Tràng", "0912 345 601",
                 "gomsu.battrang@ocop.local", ("bt", "bigc"),
                 "Hợp tác xã của các lò gốm gia đình, giữ men lam và men rạn cổ.",
                 "A cooperative of family kilns keeping the old blue and crackle glazes."),
    ProducerFact("quang-vinh", "Công ty TNHH Gốm sứ Quang Vinh", "enterprise", "Bát Tràng", "0243 874 0123",
                 "quangvinh@ocop.local", ("bt", "dx"),
                 "Doanh nghiệp gốm sứ ở thôn 5, xã Bát Tràng, chủ nhà của Khu tinh hoa làng nghề Việt.",
                 "A ceramics company in hamlet 5, Bát Tràng, host of the Craft Village Quintessence."),
    ProducerFact("lua-vp", "HTX Lụa tơ tằm Vạn Phúc", "cooperative", "Vạn Phúc", "0912 345 603",
                 "luavanphuc@ocop.local", ("vp", "mm"),
                 "Các hộ dệt lụa tơ tằm trên khung cửi truyền thống.",
                 "Households weaving mulberry silk on traditional looms."),
    ProducerFact("che-lam-dl", "Cơ sở Chè lam Đường Lâm", "household", "Làng cổ Đường Lâm", "0912 345 604",
                 "chelam.duonglam@ocop.local", ("dl", "bx"),
                 "Hộ gia đình làm chè lam, kẹo lạc và tương theo cách của làng cổ.",
                 "A family making chè lam, peanut brittle and soybean sauce the old village way."),
    ProducerFact("du-lich-dl", "HTX Dịch vụ Du lịch Đường Lâm", "cooperative", "Làng cổ Đường Lâm",
                 "0912 345 605", "dulich.duonglam@ocop.local", ("dl",),
                 "Hướng dẫn viên người làng đưa khách qua nhà cổ, giếng và đình Mông Phụ.",
                 "Village guides leading visitors through old houses, wells and Mông Phụ communal house."),
    ProducerFact("may-vt", "Công ty TNHH May Vân Từ", "enterprise", "Vân Từ", "0912 345 606",
                 "mayvantu@ocop.local", ("px", "mm"),
                 "Xưởng may đo áo dài và com-lê của làng Vân Từ.",
                 "The Vân Từ workshop tailoring áo dài and suits."),
    ProducerFact("moc-sh", "HTX Mộc mỹ nghệ Sơn Hà", "cooperative", "Sơn Hà", "0912 345 607",
                 "mocsonha@ocop.local", ("px", "dx"),
                 "Thợ mộc Sơn Hà chạm khắc tượng, hộp và đồ gia dụng bằng gỗ.",
                 "Sơn Hà carpenters carving statues, boxes and household wares."),
    ProducerFact("kham-cm", "Cơ sở Khảm trai Chuyên Mỹ", "household", "Chuyên Mỹ", "0912 345 608",
                 "khamtrai.chuyenmy@ocop.local", ("px", "bigc"),
                 "Xưởng gia đình khảm xà cừ trên gỗ và sơn mài.",
                 "A family workshop inlaying mother-of-pearl on wood and lacquer."),
    ProducerFact("son-mai-ht", "HTX Sơn mài Hạ Thái", "cooperative", "Hạ Thái", "0912 345 609",
                 "sonmai.hathai@ocop.local", ("px", "bigc", "vp"),
                 "Nghệ nhân sơn mài dùng sơn ta, vỏ trứng và vàng bạc quỳ.",
                 "Lacquer artisans working with natural lacquer, eggshell and gold leaf."),
    ProducerFact("dlcd-hv", "HTX Du lịch cộng đồng Hồng Vân", "cooperative", "Hồng Vân", "0912 345 610",
                 "dulich.hongvan@ocop.local", ("px",),
                 "Các hộ dân đón khách trải nghiệm làng quê ven sông Hồng.",
                 "Village households hosting visitors on the banks of the Red River."),
    ProducerFact("sua-tl", "HTX Bò sữa Tản Lĩnh", "cooperative", "Tản Lĩnh", "0912 345 611",
                 "bosua.tanlinh@ocop.local", ("kp",),
                 "Trang trại bò sữa dưới chân núi Ba Vì làm sữa tươi, sữa chua và bánh sữa.",
                 "Dairy farms at the foot of Ba Vì making fresh milk, yoghurt and milk cakes."),
    ProducerFact("duoc-lieu-bv", "HTX Dược liệu người Dao Ba Vì", "cooperative", "Tản Lĩnh", "0912 345 612",
                 "duoclieu.bavi@ocop.local", ("kp", "mm"),
                 "Người Dao Ba Vì trồng và chế biến cây thuốc theo bài thuốc gia truyền.",
                 "Dao people of Ba Vì growing and preparing medicinal plants by family recipes."),
    ProducerFact("may-tre-pn", "HTX Mây tre đan Phú Nghĩa", "cooperative", "Phú Nghĩa", "0912 345 613",
                 "maytre.phunghia@ocop.local", ("dx", "bigc"),
                 "Thợ đan mây tre làm giỏ, làn, đèn và khay.",
                 "Weavers making rattan and bamboo baskets, lamps and trays."),
    ProducerFact("cay-canh-dh", "HTX Hoa cây cảnh Duyên Hà", "cooperative", "Duyên Hà", "0912 345 614",
                 "caycanh.duyenha@ocop.local", ("dx",),
                 "Vườn hoa lan và cây cảnh trên bãi bồi sông Hồng.",
                 "Orchid and ornamental plant gardens on the Red River flood plain."),
    ProducerFact("thuc-pham-dt", "Công ty TNHH Thực phẩm Di Trạch", "enterprise", "Di Trạch", "0912 345 615",
                 "thucpham.ditrach@ocop.local", ("bigc", "mm", "bx"),
                 "Doanh nghiệp chế biến miến dong, bánh kẹo và rượu nếp.",
                 "A company making arrowroot noodles, sweets and sticky-rice wine."),
    ProducerFact("go-vh", "Hộ sản xuất Đồ gỗ Vân Hà", "household", "Vân Hà", "0912 345 616",
                 "dogo.vanha@ocop.local", ("mm", "dx"),
                 "Hộ thợ mộc làm đồ gỗ mỹ nghệ nhỏ từ gỗ hương và gỗ mít.",
                 "A carpenter family making small fine wooden pieces from rosewood and jackfruit wood."),
    ProducerFact("mat-ong-hl", "Hộ nuôi ong Hòa Lâm", "household", "Hòa Lâm", "0912 345 617",
                 "matong.hoalam@ocop.local", ("bigc",),
                 "Hộ nuôi ong lấy mật hoa nhãn và hoa vải (chờ xác minh).",
                 "A beekeeping family harvesting longan and lychee honey (awaiting verification).",
                 status="pending"),
)

ACCOUNTS = (
    AccountFact("admin@ocop.local", "Điều phối viên OCOP Hà Nội", "admin"),
    AccountFact("producer@ocop.local", "Nguyễn Văn Hùng", "producer", producer="gom-bt"),
    AccountFact("outlet@ocop.local", "Trần Thị Lan", "outlet_staff", outlet="bt"),
    AccountFact("shopper@ocop.local", "Lê Minh Anh", "shopper"),
)
